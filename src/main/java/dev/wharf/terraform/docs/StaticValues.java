package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.terraform.docs.HclToken.Kind;
import dev.wharf.terraform.docs.StaticType.Simple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates an expression the way terraform-config-inspect evaluates a variable's default: HCL with
 * no variables and no functions. Literals, tuples, objects, operators, conditionals, templates and
 * indexes have values; a reference or a function call is unknown, and so is whatever needs it, except
 * the result a conditional does not take. The default is the JSON of a known value, else none.
 * {@code for} expressions and splats are not followed: an expression holding one has no value here,
 * though HCL may give it one.
 */
final class StaticValues {
    private final List<HclToken> tokens;
    private int at;
    private int depth;
    /** Inside parentheses and brackets HCL reads a newline as a space; inside braces it ends an attribute. */
    private boolean newlinesIgnored;

    private StaticValues(List<HclToken> tokens) {
        this.tokens = tokens;
    }

    static Optional<JsonNode> of(List<HclToken> expression) {
        return evaluate(expression).filter(StaticValue::isKnown).map(StaticValue::json);
    }

    /** The expression as a string the way HCL converts a value to one: strings, numbers and bools, not null. */
    static Optional<String> string(List<HclToken> expression) {
        return converted(expression, Simple.STRING).map(JsonNode::asText);
    }

    /** The expression as a bool: {@code true}/{@code false}, or the strings HCL converts to them. */
    static Optional<Boolean> bool(List<HclToken> expression) {
        return converted(expression, Simple.BOOL).map(JsonNode::booleanValue);
    }

    private static Optional<JsonNode> converted(List<HclToken> expression, StaticType to) {
        return evaluate(expression).map(v -> StaticConversions.convert(v, to))
                .filter(v -> v.isKnown() && !v.isNull()).map(StaticValue::known);
    }

    /** The expression's value, or none when it is not an expression this reader can follow to its end. */
    static Optional<StaticValue> evaluate(List<HclToken> expression) {
        StaticValues reader = new StaticValues(expression);
        StaticValue value = reader.conditional();
        reader.skipNewlines();
        return value == null || reader.at != expression.size() ? Optional.empty() : Optional.of(value);
    }

    /** {@code condition ? a : b}, or an operation; null where the syntax is not followed, as in each method here. */
    private @Nullable StaticValue conditional() {
        return nested(() -> {
            StaticValue condition = operation(0);
            if (condition == null || !takeOperator(Set.of("?")).equals("?")) {
                return condition;
            }
            StaticValue yes = conditional();
            if (yes == null || !takeOperator(Set.of(":")).equals(":")) {
                return null;
            }
            StaticValue no = conditional();
            return no == null ? null : StaticConditional.choose(condition, yes, no);
        });
    }

    /** Binary operators from {@link StaticOperators#PRECEDENCE}'s level {@code level} on. */
    private @Nullable StaticValue operation(int level) {
        if (level == StaticOperators.PRECEDENCE.size()) {
            return unary();
        }
        StaticValue left = operation(level + 1);
        while (left != null) {
            String operator = takeOperator(StaticOperators.PRECEDENCE.get(level));
            if (operator.isEmpty()) {
                return left;
            }
            StaticValue right = operation(level + 1);
            left = right == null ? null : StaticOperators.binary(operator, left, right);
        }
        return null;
    }

    private @Nullable StaticValue unary() {
        return nested(() -> {
            skipNewlines();
            if (take("-") || take("!")) {
                String operator = tokens.get(at - 1).text();
                StaticValue operand = unary();
                return operand == null ? null : StaticOperators.unary(operator, operand);
            }
            StaticValue term = term();
            return term == null ? null : postfix(term);
        });
    }

    /** What {@code read} gives one level deeper, or null past {@link HclParser#MAX_NESTING} levels ({@code [[[…]]]} overflowed the stack). */
    private @Nullable StaticValue nested(Supplier<@Nullable StaticValue> read) {
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

    private @Nullable StaticValue term() {
        if (at >= tokens.size()) {
            return null;
        }
        HclToken t = tokens.get(at++);
        switch (t.kind()) {
            case STRING:
                return t.literal() != null ? StaticValue.string(t.literal()) : StaticTemplate.of(t.parts());
            case NUMBER:
                return number(t.text());
            case IDENT:
                return switch (t.text()) {
                    case "true" -> StaticValue.bool(true);
                    case "false" -> StaticValue.bool(false);
                    case "null" -> StaticValue.NULL;
                    // A reference (var.x, local.y) or a function call: HCL has neither here.
                    default -> peek("(") && !skipBalanced() ? null : StaticValue.unknown(Simple.DYNAMIC);
                };
            case PUNCT:
                if (t.punct("(")) {
                    return inBrackets(true, () -> {
                        StaticValue inner = conditional();
                        skipNewlines();
                        return inner != null && take(")") ? inner : null;
                    });
                }
                if (t.punct("[") || t.punct("{")) {
                    if (forExpression()) {
                        return null;
                    }
                    return t.punct("[") ? inBrackets(true, this::tuple) : inBrackets(false, this::object);
                }
                return null;
            default:
                return null;
        }
    }

    private @Nullable StaticValue tuple() {
        List<StaticValue> elements = new ArrayList<>();
        while (true) {
            skipNewlines();
            if (take("]")) {
                return StaticValue.tuple(elements);
            }
            StaticValue element = conditional();
            if (element == null) {
                return null;
            }
            elements.add(element);
            skipNewlines();
            if (!take(",") && !peek("]")) {
                return null;
            }
        }
    }

    private @Nullable StaticValue object() {
        Map<String, StaticValue> attributes = new LinkedHashMap<>();
        boolean keyUnknown = false;
        while (true) {
            skipNewlines();
            if (take("}")) {
                return keyUnknown ? StaticValue.unknown(Simple.DYNAMIC) : StaticValue.object(attributes);
            }
            String name = null;
            if (at + 1 < tokens.size() && tokens.get(at).kind() == Kind.IDENT && (tokens.get(at + 1).punct("=") || tokens.get(at + 1).punct(":"))) {
                name = tokens.get(at++).text();
            } else {
                StaticValue key = conditional();
                if (key == null) {
                    return null;
                }
                StaticValue text = StaticConversions.convert(key, Simple.STRING);
                if (text != null && text.isKnown() && !text.isNull()) {
                    name = Objects.requireNonNull(text.known()).asText();
                } else {
                    keyUnknown = true;
                }
            }
            if (!(take("=") || take(":"))) {
                return null;
            }
            StaticValue value = conditional();
            if (value == null) {
                return null;
            }
            if (name != null) {
                attributes.put(name, value);
            }
            if (peek(",") || (at < tokens.size() && tokens.get(at).kind() == Kind.NEWLINE)) {
                at++;
            }
        }
    }

    /** Indexes and attributes after a term: {@code [1, 2][0]}, {@code {a = 1}.a}. Splats are not followed. */
    private @Nullable StaticValue postfix(StaticValue value) {
        StaticValue out = value;
        while (true) {
            if (newlinesIgnored) {
                skipNewlines();
            }
            if (peek(".") && at + 1 < tokens.size()) {
                HclToken name = tokens.get(at + 1);
                if (name.kind() != Kind.IDENT && name.kind() != Kind.NUMBER || name.text().contains(".")) {
                    return null;
                }
                at += 2;
                out = StaticIndex.of(out, name.kind() == Kind.NUMBER ? number(name.text()) : StaticValue.string(name.text()));
            } else if (peek("[")) {
                at++;
                if (peek("*")) {
                    return null;
                }
                StaticValue key = inBrackets(true, () -> {
                    StaticValue inner = conditional();
                    skipNewlines();
                    return inner != null && take("]") ? inner : null;
                });
                if (key == null) {
                    return null;
                }
                out = StaticIndex.of(out, key);
            } else {
                return out;
            }
        }
    }

    /** A number literal; unknown when no decimal holds it ({@code 1e9999999999}) or it runs past {@link StaticValue#MAX_DIGITS} digits. */
    private static StaticValue number(String literal) {
        try {
            return StaticValue.number(new BigDecimal(literal));
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            return StaticValue.unknown(Simple.NUMBER);
        }
    }

    private @Nullable StaticValue inBrackets(boolean ignoreNewlines, Supplier<@Nullable StaticValue> read) {
        boolean outer = newlinesIgnored;
        newlinesIgnored = ignoreNewlines;
        try {
            return read.get();
        } finally {
            newlinesIgnored = outer;
        }
    }

    /** Past the bracketed group that starts here ({@code (…)}, {@code […]}, {@code {…}}); false if it never closes. */
    private boolean skipBalanced() {
        int open = 0;
        while (at < tokens.size()) {
            HclToken t = tokens.get(at++);
            if (t.punct("(") || t.punct("[") || t.punct("{")) {
                open++;
            } else if ((t.punct(")") || t.punct("]") || t.punct("}")) && --open == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code for} comes next, past newlines: {@code [for …]} and {@code {for …}} are not followed. */
    private boolean forExpression() {
        int next = at;
        while (next < tokens.size() && tokens.get(next).kind() == Kind.NEWLINE) {
            next++;
        }
        return next < tokens.size() && tokens.get(next).is(Kind.IDENT, "for");
    }

    /** The operator of {@code operators} that comes next, taken; empty when none does. */
    private String takeOperator(Set<String> operators) {
        int before = at;
        if (newlinesIgnored) {
            skipNewlines();
        }
        if (at < tokens.size() && tokens.get(at).kind() == Kind.PUNCT && operators.contains(tokens.get(at).text())) {
            return tokens.get(at++).text();
        }
        at = before;
        return "";
    }

    private boolean take(String punct) {
        if (peek(punct)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean peek(String punct) {
        return at < tokens.size() && tokens.get(at).punct(punct);
    }

    private void skipNewlines() {
        while (at < tokens.size() && tokens.get(at).kind() == Kind.NEWLINE) {
            at++;
        }
    }
}
