package dev.wharf.terraform.docs;

import dev.wharf.terraform.docs.StaticType.Simple;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** {@code collection[key]} and {@code collection.key} on static values, as HCL indexes: unknown where HCL fails. */
final class StaticIndex {
    private StaticIndex() {
    }

    static StaticValue of(StaticValue collection, StaticValue key) {
        if (!collection.isKnown() || collection.isNull() || !key.isKnown() || key.isNull()) {
            return StaticValue.unknown(Simple.DYNAMIC);
        }
        StaticType type = collection.type();
        if (type instanceof StaticType.Tuple || type instanceof StaticType.ListOf) {
            StaticValue index = StaticConversions.convert(key, Simple.NUMBER);
            if (index == null || !index.isKnown()) {
                return StaticValue.unknown(Simple.DYNAMIC);
            }
            BigDecimal n = Objects.requireNonNull(index.known()).decimalValue();
            List<StaticValue> elements = collection.elements();
            if (n.signum() < 0 || n.stripTrailingZeros().scale() > 0 || n.compareTo(BigDecimal.valueOf(elements.size())) >= 0) {
                return StaticValue.unknown(Simple.DYNAMIC);
            }
            return elements.get(n.intValueExact());
        }
        if (type instanceof StaticType.Obj || type instanceof StaticType.MapOf) {
            StaticValue name = StaticConversions.convert(key, Simple.STRING);
            StaticValue attribute = name == null || !name.isKnown() ? null : collection.attributes().get(Objects.requireNonNull(name.known()).asText());
            return attribute == null ? StaticValue.unknown(Simple.DYNAMIC) : attribute;
        }
        return StaticValue.unknown(Simple.DYNAMIC);
    }
}
