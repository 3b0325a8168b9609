package dev.wharf.terraform.docs;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The type of a statically evaluated value, as far as HCL's type system (cty) decides what an
 * operator or a conditional does with it. A literal has a structural type (a tuple, an object); a
 * conditional whose results differ may turn them into a list or a map of one element type.
 */
sealed interface StaticType {
    /** {@code DYNAMIC} is a literal {@code null}'s type, and that of a value nothing can know. */
    enum Simple implements StaticType { NUMBER, STRING, BOOL, DYNAMIC }

    record Tuple(List<StaticType> elements) implements StaticType {
        public Tuple {
            elements = List.copyOf(elements);
        }
    }

    record Obj(SortedMap<String, StaticType> attributes) implements StaticType {
        public Obj {
            attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        }
    }

    record ListOf(StaticType element) implements StaticType {
    }

    record MapOf(StaticType element) implements StaticType {
    }

    default boolean primitive() {
        return this == Simple.NUMBER || this == Simple.STRING || this == Simple.BOOL;
    }

    /** Whether {@code DYNAMIC} occurs anywhere in this type. */
    default boolean hasDynamic() {
        if (this == Simple.DYNAMIC) {
            return true;
        }
        if (this instanceof Tuple t) {
            return t.elements().stream().anyMatch(StaticType::hasDynamic);
        }
        if (this instanceof Obj o) {
            return o.attributes().values().stream().anyMatch(StaticType::hasDynamic);
        }
        if (this instanceof ListOf l) {
            return l.element().hasDynamic();
        }
        return this instanceof MapOf m && m.element().hasDynamic();
    }
}
