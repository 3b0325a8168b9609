package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.terraform.docs.StaticType.Simple;
import java.util.List;
import java.util.Objects;

/**
 * {@code condition ? a : b} as hclsyntax's ConditionalExpr evaluates it: both results first, then
 * the type both convert to (a literal {@code null} takes the other's; an unknown of no type leaves
 * the taken one as it is; otherwise the two unify, and when they cannot, there is no value however
 * the condition turns out), then the condition, converted to a bool. The result not taken may be
 * unknown: what it needed is never evaluated for the answer.
 */
final class StaticConditional {
    private StaticConditional() {
    }

    static StaticValue choose(StaticValue condition, StaticValue yes, StaticValue no) {
        StaticType resultType;
        boolean convertYes = false;
        boolean convertNo = false;
        if (yes.isNull() && yes.type() == Simple.DYNAMIC) {
            resultType = no.type();
            convertYes = true;
        } else if (no.isNull() && no.type() == Simple.DYNAMIC) {
            resultType = yes.type();
            convertNo = true;
        } else if (yes.type() == Simple.DYNAMIC || no.type() == Simple.DYNAMIC) {
            resultType = Simple.DYNAMIC;
        } else {
            StaticType unified = StaticConversions.unify(List.of(yes.type(), no.type()));
            if (unified == null) {
                return StaticValue.unknown(Simple.DYNAMIC);
            }
            resultType = unified;
            convertYes = true;
            convertNo = true;
        }
        StaticValue truth = condition.isKnown() && !condition.isNull() ? StaticConversions.convert(condition, Simple.BOOL) : null;
        if (truth == null) {
            return StaticValue.unknown(resultType);
        }
        JsonNode taken = Objects.requireNonNull(truth.known());
        StaticValue result = taken.booleanValue() ? yes : no;
        if (!(taken.booleanValue() ? convertYes : convertNo)) {
            return result;
        }
        StaticValue converted = StaticConversions.convert(result, resultType);
        return converted == null ? StaticValue.unknown(resultType) : converted;
    }
}
