package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.terraform.docs.StaticType.Simple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What an expression evaluates to with no variables and no functions, as HCL evaluates a
 * variable's default: a known value (as JSON, its numbers exact decimals) or an unknown one — an
 * expression that failed, which in HCL carries a type all the same — and its type.
 *
 * @param known the value, {@link NullNode} for a null one, Java null when unknown
 */
record StaticValue(@Nullable JsonNode known, StaticType type) {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final StaticValue NULL = new StaticValue(NullNode.instance, Simple.DYNAMIC);
    /** Digits a static number may run to, before or after its point. */
    static final int MAX_DIGITS = 1000;

    static StaticValue unknown(StaticType type) {
        return new StaticValue(null, type);
    }

    static StaticValue string(String text) {
        return new StaticValue(NODES.textNode(text), Simple.STRING);
    }

    static StaticValue bool(boolean value) {
        return new StaticValue(NODES.booleanNode(value), Simple.BOOL);
    }

    /**
     * A number, or an unknown one past {@link #MAX_DIGITS} digits written out: {@code 1e2000000000}
     * is ten bytes that, turned into a string (a description), are two gigabytes.
     */
    static StaticValue number(BigDecimal value) {
        if (Math.abs((long) value.precision() - value.scale()) > MAX_DIGITS || value.scale() > MAX_DIGITS) {
            return unknown(Simple.NUMBER);
        }
        return new StaticValue(NODES.numberNode(value), Simple.NUMBER);
    }

    /** A number literal; unknown when no decimal holds it ({@code 1e9999999999}) or it runs past {@link StaticValue#MAX_DIGITS} digits. */
    static StaticValue numberLiteral(String literal) {
        try {
            return number(new BigDecimal(literal));
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            return unknown(Simple.NUMBER);
        }
    }

    /** A tuple of these elements; unknown if any of them is. */
    static StaticValue tuple(List<StaticValue> elements) {
        List<StaticType> types = elements.stream().map(StaticValue::type).toList();
        ArrayNode out = NODES.arrayNode();
        for (StaticValue element : elements) {
            if (element.known == null) {
                return unknown(new StaticType.Tuple(types));
            }
            out.add(element.known);
        }
        return new StaticValue(out, new StaticType.Tuple(types));
    }

    /** An object of these attributes, in name order as cty keeps them; unknown if any of them is. */
    static StaticValue object(Map<String, StaticValue> attributes) {
        SortedMap<String, StaticType> types = new TreeMap<>();
        attributes.forEach((name, value) -> types.put(name, value.type()));
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, StaticValue> attribute : new TreeMap<>(attributes).entrySet()) {
            if (attribute.getValue().known == null) {
                return unknown(new StaticType.Obj(types));
            }
            out.set(attribute.getKey(), attribute.getValue().known);
        }
        return new StaticValue(out, new StaticType.Obj(types));
    }

    boolean isKnown() {
        return known != null;
    }

    /** Known to be null. */
    boolean isNull() {
        return known != null && known.isNull();
    }

    /** The elements of a known tuple or list, each with its type. */
    List<StaticValue> elements() {
        List<StaticValue> out = new ArrayList<>();
        JsonNode value = requireKnown();
        for (int i = 0; i < value.size(); i++) {
            StaticType element = type instanceof StaticType.ListOf list ? list.element() : ((StaticType.Tuple) type).elements().get(i);
            out.add(new StaticValue(value.get(i), element));
        }
        return out;
    }

    /** The attributes of a known object or map, each with its type. */
    SortedMap<String, StaticValue> attributes() {
        SortedMap<String, StaticValue> out = new TreeMap<>();
        JsonNode value = requireKnown();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            StaticType attribute = type instanceof StaticType.MapOf map ? map.element()
                    : Objects.requireNonNull(((StaticType.Obj) type).attributes().get(field.getKey()));
            out.put(field.getKey(), new StaticValue(field.getValue(), attribute));
        }
        return out;
    }

    /**
     * The known value as JSON the way terraform-config-inspect reports it, its numbers decoded as
     * Go decodes JSON numbers: whole ones as integers, others as doubles, one past a double's range
     * as its decimal.
     */
    JsonNode json() {
        return json(requireKnown());
    }

    private JsonNode requireKnown() {
        if (known == null) {
            throw new IllegalStateException("an unknown value has no JSON");
        }
        return known;
    }

    private static JsonNode json(JsonNode value) {
        if (value.isNumber()) {
            return decimal(value.decimalValue());
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode();
            value.forEach(element -> out.add(json(element)));
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = NODES.objectNode();
            value.fields().forEachRemaining(field -> out.set(field.getKey(), json(field.getValue())));
            return out;
        }
        return value;
    }

    private static JsonNode decimal(BigDecimal value) {
        double asDouble = value.doubleValue();
        if (Double.isInfinite(asDouble)) {
            return NODES.numberNode(value);
        }
        BigDecimal whole = value.stripTrailingZeros();
        if (whole.scale() <= 0) {
            try {
                return integer(whole.longValueExact());
            } catch (ArithmeticException tooBig) {
                return NODES.numberNode(asDouble);
            }
        }
        // 1/3*3 is a shade under 1, and the double nearest it is 1 exactly.
        if (asDouble == Math.rint(asDouble) && Math.abs(asDouble) < 0x1p63) {
            return integer((long) asDouble);
        }
        return NODES.numberNode(asDouble);
    }

    private static JsonNode integer(long n) {
        return n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n);
    }
}
