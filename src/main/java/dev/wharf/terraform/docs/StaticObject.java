package dev.wharf.terraform.docs;

import dev.wharf.terraform.docs.HclToken.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An object constructor {@code { key = value, … }} taken apart without evaluating its values, as
 * HCL's {@code ExprMap} does: each static key with its value's tokens. Empty when the expression is
 * not an object constructor, or one of its keys needs evaluating.
 */
final class StaticObject {
    private StaticObject() {
    }

    static Optional<Map<String, List<HclToken>>> entries(List<HclToken> expression) {
        if (expression.size() < 2 || !expression.get(0).punct("{") || !expression.get(expression.size() - 1).punct("}")) {
            return Optional.empty();
        }
        Map<String, List<HclToken>> out = new LinkedHashMap<>();
        int at = 1;
        int end = expression.size() - 1;
        while (at < end) {
            HclToken key = expression.get(at);
            if (key.kind() == Kind.NEWLINE || key.punct(",")) {
                at++;
                continue;
            }
            String name = key.kind() == Kind.IDENT ? key.text() : key.kind() == Kind.STRING ? key.literal() : null;
            if (name == null || at + 1 >= end || !(expression.get(at + 1).punct("=") || expression.get(at + 1).punct(":"))) {
                return Optional.empty();
            }
            int first = at + 2;
            int depth = 0;
            at = first;
            while (at < end) {
                HclToken t = expression.get(at);
                if (depth == 0 && (t.kind() == Kind.NEWLINE || t.punct(","))) {
                    break;
                }
                if (t.punct("(") || t.punct("[") || t.punct("{")) {
                    depth++;
                } else if (t.punct(")") || t.punct("]") || t.punct("}")) {
                    depth--;
                }
                at++;
            }
            if (at == first) {
                return Optional.empty();
            }
            out.put(name, expression.subList(first, at));
        }
        return Optional.of(out);
    }
}
