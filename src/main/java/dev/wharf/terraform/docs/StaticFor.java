package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.terraform.docs.HclToken.Kind;
import dev.wharf.terraform.docs.StaticType.Simple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code [for k, v in collection : value if condition]} and {@code {for k, v in collection : key => value... if condition}}
 * as hclsyntax's ForExpr evaluates them: over a known tuple, list, object or map (anything else has
 * no value); the condition evaluated first with its names unknown, and no value if that is null,
 * no bool, or an error (even when nothing is iterated); then per element, where a null or
 * non-bool condition, or a null, unknown or non-string key makes the whole unknown; of two
 * elements with one key (not grouped with {@code ...}) the first stays.
 */
final class StaticFor {
    private static final StaticValue UNKNOWN = StaticValue.unknown(Simple.DYNAMIC);
    private final StaticValues reader;
    private final HclCursor cursor;
    private final StaticWork work;
    private @Nullable String keyName;
    private String valueName = "";
    private int keyAt = -1;
    private int valueAt;
    private int conditionAt = -1;
    private boolean grouped;

    private StaticFor(StaticValues reader, HclCursor cursor, StaticWork work) {
        this.reader = reader;
        this.cursor = cursor;
        this.work = work;
    }

    /** Reads the rest of a for expression after its {@code [} (or {@code {}, for an {@code object}) to its closing bracket. */
    static @Nullable StaticValue read(StaticValues reader, HclCursor cursor, StaticWork work, boolean object) {
        return new StaticFor(reader, cursor, work).read(object);
    }

    private @Nullable StaticValue read(boolean object) {
        if (!cursor.takeWord("for")) {
            return null;
        }
        String first = name();
        if (first == null) {
            return null;
        }
        cursor.skipNewlines();
        if (cursor.take(",")) {
            keyName = first;
            String second = name();
            if (second == null) {
                return null;
            }
            valueName = second;
        } else {
            valueName = first;
        }
        if (!cursor.takeWord("in")) {
            return null;
        }
        StaticValue collection = reader.expression();
        cursor.skipNewlines();
        if (collection == null || !cursor.take(":")) {
            return null;
        }
        // A first reading with the names unknown finds where each part starts and gives the condition's early check.
        Map<String, StaticValue> unknowns = bindings(UNKNOWN, UNKNOWN);
        if (object) {
            keyAt = cursor.position();
            cursor.skipNewlines();
            if (reader.scoped(unknowns, reader::expression) == null || !takeArrow()) {
                return null;
            }
        }
        valueAt = cursor.position();
        if (reader.scoped(unknowns, reader::expression) == null) {
            return null;
        }
        cursor.skipNewlines();
        grouped = object && cursor.take("...");
        boolean earlyFailed = false;
        if (cursor.takeWord("if")) {
            conditionAt = cursor.position();
            int errors = work.errors();
            StaticValue early = reader.scoped(unknowns, reader::expression);
            if (early == null) {
                return null;
            }
            earlyFailed = early.isNull() || StaticConversions.convert(early, Simple.BOOL) == null || work.errors() > errors;
        }
        cursor.skipNewlines();
        if (!cursor.take(object ? "}" : "]")) {
            return null;
        }
        int end = cursor.position();
        StaticValue result = earlyFailed ? UNKNOWN : iterate(collection, object);
        cursor.seek(end);
        return result;
    }

    private @Nullable String name() {
        cursor.skipNewlines();
        HclToken t = cursor.next();
        return t != null && t.kind() == Kind.IDENT ? t.text() : null;
    }

    private boolean takeArrow() {
        cursor.skipNewlines();
        return cursor.take("=>");
    }

    /** The result, {@link #UNKNOWN} when HCL's is not wholly known, null where the reading gives up (its work spent). */
    private @Nullable StaticValue iterate(StaticValue collection, boolean object) {
        List<List<StaticValue>> items = items(collection);
        if (items == null) {
            return UNKNOWN;
        }
        List<StaticValue> tuple = new ArrayList<>();
        Map<String, List<StaticValue>> attributes = new LinkedHashMap<>();
        for (List<StaticValue> item : items) {
            Map<String, StaticValue> bound = bindings(item.get(0), item.get(1));
            StaticValue include = conditionAt < 0 ? StaticValue.bool(true) : at(conditionAt, bound);
            if (include == null || include == UNKNOWN) {
                return include;
            }
            StaticValue truth = include.isNull() ? null : StaticConversions.convert(include, Simple.BOOL);
            if (truth == null || !truth.isKnown()) {
                return UNKNOWN;
            }
            if (!Objects.requireNonNull(truth.known()).booleanValue()) {
                continue;
            }
            String key = "";
            if (object) {
                StaticValue raw = at(keyAt, bound);
                if (raw == null || raw == UNKNOWN) {
                    return raw;
                }
                StaticValue text = raw.isNull() || !raw.isKnown() ? null : StaticConversions.convert(raw, Simple.STRING);
                if (text == null || !text.isKnown()) {
                    return UNKNOWN;
                }
                key = Objects.requireNonNull(text.known()).asText();
            }
            StaticValue value = at(valueAt, bound);
            if (value == null || !work.spendOn(value)) {
                return null;
            }
            if (!object) {
                tuple.add(value);
            } else if (grouped) {
                attributes.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } else {
                attributes.putIfAbsent(key, List.of(value));
            }
        }
        if (!object) {
            return StaticValue.tuple(tuple);
        }
        Map<String, StaticValue> out = new HashMap<>();
        attributes.forEach((key, group) -> out.put(key, grouped ? StaticValue.tuple(group) : group.get(0)));
        return StaticValue.object(out);
    }

    /**
     * What a for expression (or a template's for directive) iterates: each element's key and value
     * (a tuple's or list's index, an object's or map's attribute name, in name order), or null for a
     * collection HCL does not iterate (unknown, null, or no collection).
     */
    static @Nullable List<List<StaticValue>> items(StaticValue collection) {
        if (!collection.isKnown() || collection.isNull()) {
            return null;
        }
        List<List<StaticValue>> items = new ArrayList<>();
        StaticType type = collection.type();
        if (type instanceof StaticType.Tuple || type instanceof StaticType.ListOf) {
            List<StaticValue> elements = collection.elements();
            for (int i = 0; i < elements.size(); i++) {
                items.add(List.of(StaticValue.number(BigDecimal.valueOf(i)), elements.get(i)));
            }
            return items;
        }
        if (type instanceof StaticType.Obj || type instanceof StaticType.MapOf) {
            collection.attributes().forEach((name, value) -> items.add(List.of(StaticValue.string(name), value)));
            return items;
        }
        return null;
    }

    /** The expression at {@code position} with these names bound; {@link #UNKNOWN} for an unknown one of no type. */
    private @Nullable StaticValue at(int position, Map<String, StaticValue> bound) {
        cursor.seek(position);
        StaticValue value = reader.scoped(bound, reader::expression);
        return value != null && !value.isKnown() && value.type() == Simple.DYNAMIC ? UNKNOWN : value;
    }

    private Map<String, StaticValue> bindings(StaticValue key, StaticValue value) {
        Map<String, StaticValue> bound = new HashMap<>(reader.scope());
        if (keyName != null) {
            bound.put(keyName, key);
        }
        bound.put(valueName, value);
        return bound;
    }
}
