package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.terraform.docs.StaticType.Simple;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * HCL's operators on static values, as hclsyntax applies them: each operand is converted to the
 * operator's parameter type first ({@code "5" + 1} is 6), a failed conversion, a null operand or an
 * unknown one makes the result unknown (of the operator's result type), and nothing short-circuits
 * (HCL 2.20, which terraform-config-inspect builds with, evaluates both sides of {@code ||}).
 */
final class StaticOperators {
    /** Binary operators, from the loosest binding to the tightest; one level associates left. */
    private static final Set<String> COMPARISONS = Set.of(">", ">=", "<", "<=");
    static final List<Set<String>> PRECEDENCE = List.of(
            Set.of("||"), Set.of("&&"), Set.of("==", "!="), COMPARISONS, Set.of("+", "-"), Set.of("*", "/", "%"));
    /** cty divides 512-bit binary floats; 160 decimal digits hold as much. */
    private static final MathContext QUOTIENT = new MathContext(160, RoundingMode.HALF_EVEN);

    private StaticOperators() {
    }

    static StaticValue binary(String operator, StaticValue left, StaticValue right) {
        if (operator.equals("==") || operator.equals("!=")) {
            if (!left.isKnown() || !right.isKnown()) {
                return StaticValue.unknown(Simple.BOOL);
            }
            Boolean equal = equal(left, right);
            return equal == null ? StaticValue.unknown(Simple.BOOL) : StaticValue.bool(equal == operator.equals("=="));
        }
        boolean logical = operator.equals("&&") || operator.equals("||");
        StaticType operands = logical ? Simple.BOOL : Simple.NUMBER;
        StaticType result = logical || COMPARISONS.contains(operator) ? Simple.BOOL : Simple.NUMBER;
        StaticValue l = StaticConversions.convert(left, operands);
        StaticValue r = StaticConversions.convert(right, operands);
        if (l == null || r == null || !l.isKnown() || !r.isKnown() || l.isNull() || r.isNull()) {
            return StaticValue.unknown(result);
        }
        JsonNode a = Objects.requireNonNull(l.known());
        JsonNode b = Objects.requireNonNull(r.known());
        if (logical) {
            return StaticValue.bool(operator.equals("&&") ? a.booleanValue() && b.booleanValue() : a.booleanValue() || b.booleanValue());
        }
        return arithmetic(operator, a.decimalValue(), b.decimalValue());
    }

    static StaticValue unary(String operator, StaticValue operand) {
        StaticType type = operator.equals("!") ? Simple.BOOL : Simple.NUMBER;
        StaticValue v = StaticConversions.convert(operand, type);
        if (v == null || !v.isKnown() || v.isNull()) {
            return StaticValue.unknown(type);
        }
        JsonNode known = Objects.requireNonNull(v.known());
        return operator.equals("!") ? StaticValue.bool(!known.booleanValue()) : StaticValue.number(known.decimalValue().negate());
    }

    private static StaticValue arithmetic(String operator, BigDecimal a, BigDecimal b) {
        return switch (operator) {
            case "+" -> StaticValue.number(a.add(b));
            case "-" -> StaticValue.number(a.subtract(b));
            case "*" -> StaticValue.number(a.multiply(b));
            // x/0 is an infinity in cty, which no JSON holds (config-inspect gives no default then).
            case "/" -> b.signum() == 0 ? StaticValue.unknown(Simple.NUMBER) : StaticValue.number(a.divide(b, QUOTIENT));
            // cty: x % 0 is x; otherwise the remainder of a division truncated toward zero.
            case "%" -> b.signum() == 0 ? StaticValue.number(a) : StaticValue.number(a.remainder(b));
            case "<" -> StaticValue.bool(a.compareTo(b) < 0);
            case "<=" -> StaticValue.bool(a.compareTo(b) <= 0);
            case ">" -> StaticValue.bool(a.compareTo(b) > 0);
            case ">=" -> StaticValue.bool(a.compareTo(b) >= 0);
            default -> throw new IllegalArgumentException("not an arithmetic operator: " + operator);
        };
    }

    /**
     * cty's equality of two known values: nulls equal each other and nothing else; values of
     * different types are unequal; null (unknown) where a type holds a null literal's (cty then
     * answers only in cases these values do not reach).
     */
    private static @Nullable Boolean equal(StaticValue left, StaticValue right) {
        if (left.isNull() || right.isNull()) {
            return left.isNull() && right.isNull();
        }
        if (left.type().hasDynamic() || right.type().hasDynamic()) {
            return null;
        }
        return left.type().equals(right.type()) && sameJson(Objects.requireNonNull(left.known()), Objects.requireNonNull(right.known()));
    }

    private static boolean sameJson(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameJson(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode other = b.get(field.getKey());
                if (other == null || !sameJson(field.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
