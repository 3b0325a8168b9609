package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.terraform.docs.HclToken.Kind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The value of an expression that needs nothing to evaluate it — literals, tuples, objects — as
 * JSON, the way terraform-config-inspect reports a variable's default. Anything that would need a
 * variable, a function or an operator has no static value (config-inspect gives none then either).
 */
final class StaticValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Digits a static number may run to, before or after its point. */
    private static final int MAX_DIGITS = 1000;

    private final List<HclToken> tokens;
    private int at;
    private int depth;

    private StaticValues(List<HclToken> tokens) {
        this.tokens = tokens;
    }

    static Optional<JsonNode> of(List<HclToken> expression) {
        StaticValues reader = new StaticValues(expression);
        JsonNode value = reader.conditional();
        if (value == null || reader.at != expression.size()) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** The expression as a string the way HCL converts a literal: strings, numbers and bools, not null. */
    static Optional<String> string(List<HclToken> expression) {
        return of(expression).filter(v -> v.isTextual() || v.isNumber() || v.isBoolean())
                .map(v -> v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString() : v.asText());
    }

    /** The expression as a bool: {@code true}/{@code false}, or the strings HCL converts to them. */
    static Optional<Boolean> bool(List<HclToken> expression) {
        return of(expression).flatMap(StaticValues::truth);
    }

    /** {@code condition ? a : b} with a static condition, or a plain value; none past {@link HclParser#MAX_NESTING} levels. */
    private @Nullable JsonNode conditional() {
        return nested(this::conditionalAt);
    }

    private @Nullable JsonNode conditionalAt() {
        JsonNode value = value();
        if (value == null || !take("?")) {
            return value;
        }
        JsonNode yes = conditional();
        if (yes == null || !take(":")) {
            return null;
        }
        JsonNode no = conditional();
        Optional<Boolean> condition = truth(value);
        return no == null || condition.isEmpty() ? null : condition.get() ? yes : no;
    }

    /** A literal, tuple or object; none past {@link HclParser#MAX_NESTING} levels ({@code [[[…]]]} overflowed the stack). */
    private @Nullable JsonNode value() {
        return nested(this::valueAt);
    }

    /** What {@code read} gives one level deeper, or no value past {@link HclParser#MAX_NESTING} levels. */
    private @Nullable JsonNode nested(Supplier<@Nullable JsonNode> read) {
        if (depth >= HclParser.MAX_NESTING) {
            return null;
        }
        depth++;
        try {
            return read.get();
        } finally {
            depth--;
        }
    }

    private @Nullable JsonNode valueAt() {
        skipNewlines();
        if (at >= tokens.size()) {
            return null;
        }
        HclToken t = tokens.get(at++);
        switch (t.kind()) {
            case STRING:
                return t.literal() != null ? NODES.textNode(t.literal()) : template(t.parts());
            case NUMBER:
                return number(t.text(), false);
            case IDENT:
                return switch (t.text()) {
                    case "true" -> NODES.booleanNode(true);
                    case "false" -> NODES.booleanNode(false);
                    case "null" -> NODES.nullNode();
                    default -> null;
                };
            case PUNCT:
                return punctuated(t);
            default:
                return null;
        }
    }

    private @Nullable JsonNode punctuated(HclToken t) {
        if (t.punct("-") && at < tokens.size() && tokens.get(at).kind() == Kind.NUMBER) {
            return number(tokens.get(at++).text(), true);
        }
        if (t.punct("(")) {
            JsonNode inner = conditional();
            skipNewlines();
            return inner != null && take(")") ? inner : null;
        }
        if (t.punct("[")) {
            return tuple();
        }
        if (t.punct("{")) {
            return object();
        }
        return null;
    }

    private @Nullable JsonNode tuple() {
        ArrayNode out = NODES.arrayNode();
        while (true) {
            skipNewlines();
            if (take("]")) {
                return out;
            }
            if (peekIdent("for")) {
                return null;
            }
            JsonNode item = value();
            if (item == null) {
                return null;
            }
            out.add(item);
            skipNewlines();
            if (!take(",") && !(at < tokens.size() && tokens.get(at).punct("]"))) {
                return null;
            }
        }
    }

    private @Nullable JsonNode object() {
        ObjectNode out = NODES.objectNode();
        while (true) {
            skipNewlines();
            if (take("}")) {
                return out;
            }
            if (peekIdent("for") || at >= tokens.size()) {
                return null;
            }
            HclToken key = tokens.get(at++);
            String name = key.kind() == Kind.IDENT ? key.text() : key.kind() == Kind.STRING ? key.literal() : null;
            if (name == null || !(take("=") || take(":"))) {
                return null;
            }
            JsonNode item = value();
            if (item == null) {
                return null;
            }
            out.set(name, item);
            if (at < tokens.size() && (tokens.get(at).kind() == Kind.NEWLINE || tokens.get(at).punct(","))) {
                at++;
            }
        }
    }

    /** A template whose every interpolation has a static value that converts to a string. */
    private static @Nullable JsonNode template(List<HclToken.TemplatePart> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (HclToken.TemplatePart part : parts) {
            if (!part.interpolation()) {
                out.append(part.text());
                continue;
            }
            List<HclToken> inner;
            try {
                inner = HclLexer.tokens(part.text());
            } catch (HclSyntaxException e) {
                return null;
            }
            Optional<String> text = string(inner.subList(0, inner.size() - 1).stream().filter(x -> x.kind() != Kind.NEWLINE).toList());
            if (text.isEmpty()) {
                return null;
            }
            out.append(text.get());
        }
        return NODES.textNode(out.toString());
    }

    private static Optional<Boolean> truth(JsonNode value) {
        if (value.isBoolean()) {
            return Optional.of(value.booleanValue());
        }
        return value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))
                ? Optional.of(Boolean.parseBoolean(value.asText())) : Optional.empty();
    }

    /**
     * Numbers as JSON writes them once decoded: whole ones as integers, others as doubles, one past
     * a double's range as its decimal. None for a literal no decimal holds ({@code 1e9999999999})
     * or one of more than {@link #MAX_DIGITS} digits written out.
     */
    private static @Nullable JsonNode number(String literal, boolean negated) {
        BigDecimal value;
        try {
            value = new BigDecimal(literal);
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            return null;
        }
        // 1e2000000000 is ten bytes that, written out as a string (a description), are two gigabytes.
        if (Math.abs((long) value.precision() - value.scale()) > MAX_DIGITS || value.scale() > MAX_DIGITS) {
            return null;
        }
        return number(negated ? value.negate() : value);
    }

    private static JsonNode number(BigDecimal value) {
        if (Double.isInfinite(value.doubleValue())) {
            return NODES.numberNode(value);
        }
        BigDecimal whole = value.stripTrailingZeros();
        if (whole.scale() <= 0) {
            try {
                long n = whole.longValueExact();
                return n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n);
            } catch (ArithmeticException tooBig) {
                return NODES.numberNode(value.doubleValue());
            }
        }
        return NODES.numberNode(value.doubleValue());
    }

    private boolean take(String punct) {
        if (at < tokens.size() && tokens.get(at).punct(punct)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean peekIdent(String name) {
        return at < tokens.size() && tokens.get(at).is(Kind.IDENT, name);
    }

    private void skipNewlines() {
        while (at < tokens.size() && tokens.get(at).kind() == Kind.NEWLINE) {
            at++;
        }
    }
}
