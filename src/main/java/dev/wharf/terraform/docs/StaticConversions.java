package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.wharf.terraform.docs.StaticType.Simple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * cty's conversions between types and its unification of two types (go-cty's {@code convert}
 * package, the unsafe variants HCL uses), for the values a variable's default can hold. Where cty
 * would go down a path these values never need (sets), there is no result: the default then has no
 * value, never a different one.
 */
final class StaticConversions {
    private StaticConversions() {
    }

    /** {@code value} as a {@code to}, or null where cty refuses the conversion. */
    static @Nullable StaticValue convert(StaticValue value, StaticType to) {
        if (to == Simple.DYNAMIC || value.type().equals(to)) {
            return value;
        }
        if (value.isNull()) {
            return new StaticValue(NullNode.instance, to);
        }
        if (!value.isKnown()) {
            return convertible(value.type(), to) ? StaticValue.unknown(to) : null;
        }
        if (to.primitive() && value.type().primitive()) {
            return primitive(value, (Simple) to);
        }
        if (to instanceof StaticType.Tuple tuple && value.type() instanceof StaticType.Tuple from
                && from.elements().size() == tuple.elements().size()) {
            return tuple(value.elements(), tuple.elements());
        }
        if (to instanceof StaticType.ListOf list && (value.type() instanceof StaticType.Tuple || value.type() instanceof StaticType.ListOf)) {
            List<StaticValue> elements = value.elements();
            StaticValue converted = tuple(elements, elements.stream().map(e -> list.element()).toList());
            return converted == null ? null : new StaticValue(converted.known(), to);
        }
        if (to instanceof StaticType.Obj object && value.type() instanceof StaticType.Obj from
                && from.attributes().keySet().equals(object.attributes().keySet())) {
            return object(value.attributes(), object.attributes());
        }
        if (to instanceof StaticType.MapOf map && (value.type() instanceof StaticType.Obj || value.type() instanceof StaticType.MapOf)) {
            SortedMap<String, StaticValue> attributes = value.attributes();
            Map<String, StaticType> types = new LinkedHashMap<>();
            attributes.keySet().forEach(name -> types.put(name, map.element()));
            StaticValue converted = object(attributes, types);
            return converted == null ? null : new StaticValue(converted.known(), to);
        }
        return null;
    }

    /** Whether cty has a conversion from one type to the other (which may still fail on a value). */
    static boolean convertible(StaticType from, StaticType to) {
        if (to == Simple.DYNAMIC || from == Simple.DYNAMIC || from.equals(to)) {
            return true;
        }
        if (to.primitive() && from.primitive()) {
            return to == Simple.STRING || from == Simple.STRING;
        }
        if (to instanceof StaticType.Tuple tuple && from instanceof StaticType.Tuple source) {
            List<StaticType> elements = source.elements();
            return elements.size() == tuple.elements().size()
                    && IntStream.range(0, elements.size()).allMatch(i -> convertible(elements.get(i), tuple.elements().get(i)));
        }
        if (to instanceof StaticType.ListOf list) {
            if (from instanceof StaticType.Tuple source) {
                return source.elements().stream().allMatch(e -> convertible(e, list.element()));
            }
            return from instanceof StaticType.ListOf sourceList && convertible(sourceList.element(), list.element());
        }
        if (to instanceof StaticType.Obj object && from instanceof StaticType.Obj source) {
            return source.attributes().keySet().equals(object.attributes().keySet())
                    && source.attributes().entrySet().stream().allMatch(a -> convertible(a.getValue(), Objects.requireNonNull(object.attributes().get(a.getKey()))));
        }
        if (to instanceof StaticType.MapOf map) {
            if (from instanceof StaticType.Obj source) {
                return source.attributes().values().stream().allMatch(a -> convertible(a, map.element()));
            }
            return from instanceof StaticType.MapOf sourceMap && convertible(sourceMap.element(), map.element());
        }
        return false;
    }

    /**
     * The type both results of a conditional convert to, or null when cty finds none. Tuples of
     * one length unify element by element, of different lengths as a list of one element type;
     * objects with the same attributes likewise, else as a map; among primitives a string wins.
     */
    static @Nullable StaticType unify(List<StaticType> types) {
        if (types.stream().distinct().count() == 1) {
            return types.get(0);
        }
        long dynamic = types.stream().filter(t -> t == Simple.DYNAMIC).count();
        long tuples = types.stream().filter(t -> t instanceof StaticType.Tuple).count();
        long objects = types.stream().filter(t -> t instanceof StaticType.Obj).count();
        long lists = types.stream().filter(t -> t instanceof StaticType.ListOf).count();
        long maps = types.stream().filter(t -> t instanceof StaticType.MapOf).count();
        if (maps > 0 && maps + dynamic == types.size() || lists > 0 && lists + dynamic == types.size()) {
            return dynamic > 0 ? Simple.DYNAMIC : collections(types, maps > 0);
        }
        if (maps > 0 && maps + objects + dynamic == types.size() || lists > 0 && lists + tuples + dynamic == types.size()) {
            StaticType unified = structuresAsCollections(types, maps > 0);
            if (unified != null) {
                return unified;
            }
            // cty then tries each type as the one all convert to, as below ({} beside a map(number)).
        } else if (lists + maps > 0) {
            return preferred(types);
        }
        if (tuples > 0 && tuples + dynamic == types.size()) {
            return dynamic > 0 ? Simple.DYNAMIC : tuples(types);
        }
        if (objects > 0 && objects + dynamic == types.size()) {
            return dynamic > 0 ? Simple.DYNAMIC : objects(types);
        }
        if (tuples > 0 && objects > 0) {
            return null;
        }
        return preferred(types);
    }

    /** The first type, strings first and the dynamic last, that all the others convert to. */
    private static @Nullable StaticType preferred(List<StaticType> types) {
        List<StaticType> preferred = new ArrayList<>();
        types.stream().filter(t -> t == Simple.STRING).forEach(preferred::add);
        types.stream().filter(t -> t != Simple.STRING && t != Simple.DYNAMIC).forEach(preferred::add);
        types.stream().filter(t -> t == Simple.DYNAMIC).forEach(preferred::add);
        for (StaticType want : preferred) {
            if (types.stream().allMatch(t -> convertible(t, want))) {
                return want;
            }
        }
        return null;
    }

    /** Lists (or maps) as a list (map) of their elements' unified type. */
    private static @Nullable StaticType collections(List<StaticType> types, boolean maps) {
        StaticType element = unify(types.stream().map(t -> t instanceof StaticType.MapOf m ? m.element() : ((StaticType.ListOf) t).element()).toList());
        if (element == null) {
            return null;
        }
        StaticType out = maps ? new StaticType.MapOf(element) : new StaticType.ListOf(element);
        return types.stream().allMatch(t -> convertible(t, out)) ? out : null;
    }

    /**
     * Tuples beside lists (objects beside maps) as cty unifies them: the tuples as a list of all
     * their elements' type, then that with the lists; null where that gives no list (map).
     */
    private static @Nullable StaticType structuresAsCollections(List<StaticType> types, boolean maps) {
        List<StaticType> structures = types.stream().filter(t -> maps ? t instanceof StaticType.Obj : t instanceof StaticType.Tuple).toList();
        StaticType element = unify(structures.stream()
                .flatMap(t -> t instanceof StaticType.Obj o ? o.attributes().values().stream() : ((StaticType.Tuple) t).elements().stream()).toList());
        if (element == null) {
            return null;
        }
        StaticType collection = maps ? new StaticType.MapOf(element) : new StaticType.ListOf(element);
        if (!structures.stream().allMatch(t -> convertible(t, collection))) {
            return null;
        }
        StaticType unified = unify(types.stream().map(t -> structures.contains(t) ? collection : t).toList());
        return maps ? unified instanceof StaticType.MapOf ? unified : null : unified instanceof StaticType.ListOf ? unified : null;
    }

    private static @Nullable StaticType tuples(List<StaticType> types) {
        List<List<StaticType>> elements = types.stream().map(t -> ((StaticType.Tuple) t).elements()).toList();
        int size = elements.get(0).size();
        if (elements.stream().anyMatch(e -> e.size() != size)) {
            StaticType element = unify(elements.stream().flatMap(List::stream).toList());
            return element == null ? null : new StaticType.ListOf(element);
        }
        List<StaticType> unified = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int at = i;
            StaticType element = unify(elements.stream().map(e -> e.get(at)).toList());
            if (element == null) {
                return null;
            }
            unified.add(element);
        }
        return new StaticType.Tuple(unified);
    }

    private static @Nullable StaticType objects(List<StaticType> types) {
        List<SortedMap<String, StaticType>> attributes = types.stream().map(t -> ((StaticType.Obj) t).attributes()).toList();
        if (attributes.stream().anyMatch(a -> !a.keySet().equals(attributes.get(0).keySet()))) {
            StaticType element = unify(attributes.stream().flatMap(a -> a.values().stream()).toList());
            return element == null ? null : new StaticType.MapOf(element);
        }
        SortedMap<String, StaticType> unified = new TreeMap<>();
        for (String name : attributes.get(0).keySet()) {
            StaticType attribute = unify(attributes.stream().map(a -> a.get(name)).toList());
            if (attribute == null) {
                return null;
            }
            unified.put(name, attribute);
        }
        return new StaticType.Obj(unified);
    }

    private static @Nullable StaticValue primitive(StaticValue value, Simple to) {
        JsonNode known = Objects.requireNonNull(value.known());
        String text = known.asText();
        if (to == Simple.STRING) {
            return value.type() == Simple.NUMBER ? StaticValue.string(plain(known.decimalValue())) : StaticValue.string(text);
        }
        if (value.type() != Simple.STRING) {
            return null;
        }
        if (to == Simple.BOOL) {
            return switch (text) {
                case "true", "1" -> StaticValue.bool(true);
                case "false", "0" -> StaticValue.bool(false);
                default -> null;
            };
        }
        // Go parses ASCII digits only; BigDecimal would take any Unicode digit.
        if (!text.chars().allMatch(c -> c < 0x80)) {
            return null;
        }
        try {
            StaticValue number = StaticValue.number(new BigDecimal(text));
            return number.isKnown() ? number : null;
        } catch (NumberFormatException | ArithmeticException notANumber) {
            return null;
        }
    }

    /** A number as cty writes it in a string: every digit, no exponent. */
    static String plain(BigDecimal number) {
        return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
    }

    private static @Nullable StaticValue tuple(List<StaticValue> elements, List<StaticType> to) {
        List<StaticValue> out = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            StaticValue element = convert(elements.get(i), to.get(i));
            if (element == null) {
                return null;
            }
            out.add(element);
        }
        return StaticValue.tuple(out);
    }

    private static @Nullable StaticValue object(Map<String, StaticValue> attributes, Map<String, StaticType> to) {
        Map<String, StaticValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, StaticValue> attribute : attributes.entrySet()) {
            StaticValue converted = convert(attribute.getValue(), Objects.requireNonNull(to.get(attribute.getKey())));
            if (converted == null) {
                return null;
            }
            out.put(attribute.getKey(), converted);
        }
        return StaticValue.object(out);
    }
}
