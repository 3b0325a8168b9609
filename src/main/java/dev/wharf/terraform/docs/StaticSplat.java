package dev.wharf.terraform.docs;

import dev.wharf.terraform.docs.StaticType.Simple;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code source[*].a[0]} and the older {@code source.*.a} as hclsyntax's SplatExpr evaluates them:
 * the traversal after the star ({@code [*]} takes every one that follows, {@code .*} only
 * attributes) applied to each element of a tuple or list; any other value is taken as a tuple of
 * itself, a null of no type as an empty tuple.
 */
final class StaticSplat {
    private StaticSplat() {
    }

    /**
     * Reads the traversal after a splat's star and applies it to {@code source}'s elements; null
     * where the reading gives up. The traversal is read once with an unknown element to find its
     * end, then once per element.
     */
    static @Nullable StaticValue read(StaticValues reader, HclCursor cursor, StaticWork work, StaticValue source, boolean attributesOnly) {
        int start = cursor.position();
        StaticValue shape = reader.traversal(StaticValue.unknown(Simple.DYNAMIC), attributesOnly);
        if (shape == null) {
            return null;
        }
        int end = cursor.position();
        StaticType type = source.type();
        boolean sequence = type instanceof StaticType.Tuple || type instanceof StaticType.ListOf;
        if (!source.isKnown() || source.isNull() && sequence) {
            return StaticValue.unknown(Simple.DYNAMIC);
        }
        List<StaticValue> items = source.isNull() ? List.of() : sequence ? source.elements() : List.of(source);
        List<StaticValue> out = new ArrayList<>();
        for (StaticValue item : items) {
            cursor.seek(start);
            StaticValue each = reader.traversal(item, attributesOnly);
            if (each == null || !work.spendOn(each)) {
                return null;
            }
            out.add(each);
        }
        cursor.seek(end);
        StaticValue tuple = StaticValue.tuple(out);
        if (!(type instanceof StaticType.ListOf) || !tuple.isKnown()) {
            return tuple;
        }
        // Each element of a list has one type, and so has what the traversal makes of it.
        return new StaticValue(tuple.known(), new StaticType.ListOf(out.isEmpty() ? shape.type() : out.get(0).type()));
    }
}
