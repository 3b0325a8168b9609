package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.terraform.docs.HclToken.Kind;
import dev.wharf.terraform.docs.StaticType.Simple;
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
 * the result a conditional does not take. {@code for} expressions ({@link StaticFor}) and splats
 * ({@link StaticSplat}) bind names inside them, which are known there. The default is the JSON of a
 * known value, else none.
 */
final class StaticValues {
    private final HclCursor cursor;
    private final StaticWork work;
    /** The names the {@code for} expressions around the cursor bind. */
    private Map<String, StaticValue> scope;
    private int depth;

    private StaticValues(List<HclToken> tokens, StaticWork work, Map<String, StaticValue> scope) {
        this.cursor = new HclCursor(tokens);
        this.work = work;
        this.scope = scope;
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
        return evaluate(expression, new StaticWork(), Map.of());
    }

    /** The value of an expression inside another (a template's), sharing its work and names in scope. */
    static Optional<StaticValue> evaluate(List<HclToken> expression, StaticWork work, Map<String, StaticValue> scope) {
        StaticValues reader = new StaticValues(expression, work, scope);
        StaticValue value = reader.conditional();
        reader.cursor.skipNewlines();
        return value == null || !reader.cursor.done() ? Optional.empty() : Optional.of(value);
    }

    /** One expression from the cursor on (a conditional, the loosest binding); null where not followed. */
    @Nullable StaticValue expression() {
        return conditional();
    }

    Map<String, StaticValue> scope() {
        return scope;
    }

    /** What {@code read} gives with {@code bound} as the names in scope. */
    @Nullable StaticValue scoped(Map<String, StaticValue> bound, Supplier<@Nullable StaticValue> read) {
        Map<String, StaticValue> outer = scope;
        scope = bound;
        try {
            return read.get();
        } finally {
            scope = outer;
        }
    }

    /** {@code condition ? a : b}, or an operation; null where the syntax is not followed, as in each method here. */
    private @Nullable StaticValue conditional() {
        return nested(() -> {
            StaticValue condition = operation(0);
            if (condition == null || !cursor.takeOperator(Set.of("?")).equals("?")) {
                return condition;
            }
            StaticValue yes = conditional();
            if (yes == null || !cursor.takeOperator(Set.of(":")).equals(":")) {
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
            String operator = cursor.takeOperator(StaticOperators.PRECEDENCE.get(level));
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
            cursor.skipNewlines();
            String operator = cursor.peek("-") ? "-" : cursor.peek("!") ? "!" : "";
            if (!operator.isEmpty()) {
                cursor.skip(1);
                StaticValue operand = unary();
                return operand == null ? null : StaticOperators.unary(operator, operand);
            }
            StaticValue term = term();
            return term == null ? null : traversal(term, false);
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
        HclToken t = cursor.next();
        if (t == null || !work.spend(1)) {
            return null;
        }
        switch (t.kind()) {
            case STRING:
                return t.literal() != null ? StaticValue.string(t.literal()) : StaticTemplate.of(t.parts(), work, scope);
            case NUMBER:
                return StaticValue.numberLiteral(t.text());
            case IDENT:
                return switch (t.text()) {
                    case "true" -> StaticValue.bool(true);
                    case "false" -> StaticValue.bool(false);
                    case "null" -> StaticValue.NULL;
                    default -> reference(t.text());
                };
            case PUNCT:
                if (t.punct("(")) {
                    return cursor.inBrackets(true, () -> closed(")"));
                }
                if (t.punct("[") || t.punct("{")) {
                    if (cursor.word("for")) {
                        return cursor.inBrackets(true, () -> StaticFor.read(this, cursor, work, t.punct("{")));
                    }
                    return t.punct("[") ? cursor.inBrackets(true, this::tuple) : cursor.inBrackets(false, this::object);
                }
                return null;
            default:
                return null;
        }
    }

    /** A name a {@code for} expression binds; else a reference (var.x, local.y) or a function call, which HCL has neither of here. */
    private @Nullable StaticValue reference(String name) {
        if (cursor.peek("(")) {
            work.error();
            return cursor.skipBalanced() ? StaticValue.unknown(Simple.DYNAMIC) : null;
        }
        StaticValue bound = scope.get(name);
        if (bound == null) {
            work.error();
            return StaticValue.unknown(Simple.DYNAMIC);
        }
        return bound;
    }

    private @Nullable StaticValue tuple() {
        List<StaticValue> elements = new ArrayList<>();
        while (true) {
            cursor.skipNewlines();
            if (cursor.take("]")) {
                return StaticValue.tuple(elements);
            }
            StaticValue element = conditional();
            if (element == null) {
                return null;
            }
            elements.add(element);
            cursor.skipNewlines();
            if (!cursor.take(",") && !cursor.peek("]")) {
                return null;
            }
        }
    }

    private @Nullable StaticValue object() {
        Map<String, StaticValue> attributes = new LinkedHashMap<>();
        boolean keyUnknown = false;
        while (true) {
            cursor.skipNewlines();
            if (cursor.take("}")) {
                return keyUnknown ? StaticValue.unknown(Simple.DYNAMIC) : StaticValue.object(attributes);
            }
            String name = null;
            HclToken first = cursor.ahead(0);
            HclToken second = cursor.ahead(1);
            if (first != null && second != null && first.kind() == Kind.IDENT && (second.punct("=") || second.punct(":"))) {
                name = first.text();
                cursor.skip(1);
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
            if (!(cursor.take("=") || cursor.take(":"))) {
                return null;
            }
            StaticValue value = conditional();
            if (value == null) {
                return null;
            }
            if (name != null) {
                attributes.put(name, value);
            }
            cursor.takeSeparator();
        }
    }

    /**
     * Indexes, attributes and splats that come next ({@code [1, 2][0]}, {@code {a = 1}.a},
     * {@code [{a = 1}][*].a}) applied to {@code value}; only {@code .name} and {@code .0} in a legacy {@code .*} splat.
     */
    @Nullable StaticValue traversal(StaticValue value, boolean attributesOnly) {
        StaticValue out = value;
        while (out != null) {
            cursor.skipIgnoredNewlines();
            HclToken name = cursor.ahead(1);
            if (cursor.peek(".") && name != null) {
                if (name.punct("*") && !attributesOnly) {
                    cursor.skip(2);
                    StaticValue source = out;
                    out = nested(() -> StaticSplat.read(this, cursor, work, source, true));
                    continue;
                }
                if (name.kind() != Kind.IDENT && name.kind() != Kind.NUMBER || name.text().contains(".")) {
                    return null;
                }
                cursor.skip(2);
                out = StaticIndex.of(out, name.kind() == Kind.NUMBER ? StaticValue.numberLiteral(name.text()) : StaticValue.string(name.text()));
            } else if (!attributesOnly && cursor.take("[")) {
                if (cursor.take("*")) {
                    StaticValue source = out;
                    out = cursor.take("]") ? nested(() -> StaticSplat.read(this, cursor, work, source, false)) : null;
                    continue;
                }
                StaticValue key = cursor.inBrackets(true, () -> closed("]"));
                if (key == null) {
                    return null;
                }
                out = StaticIndex.of(out, key);
            } else {
                return out;
            }
        }
        return null;
    }

    /** An expression and the bracket that closes it, as inside {@code ( )} and an index's {@code [ ]}. */
    private @Nullable StaticValue closed(String bracket) {
        StaticValue inner = conditional();
        cursor.skipNewlines();
        return inner != null && cursor.take(bracket) ? inner : null;
    }
}
