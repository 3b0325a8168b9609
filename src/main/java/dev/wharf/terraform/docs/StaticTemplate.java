package dev.wharf.terraform.docs;

import dev.wharf.terraform.docs.HclToken.Kind;
import dev.wharf.terraform.docs.StaticType.Simple;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A quoted template's value, its interpolations evaluated as {@link StaticValues} evaluates. */
final class StaticTemplate {
    private StaticTemplate() {
    }

    /**
     * A template's value. One whose only part is an interpolation is that value itself (HCL unwraps
     * it). Otherwise a string, unknown if an interpolation is; an interpolation that is null or no
     * string converts is left out, and so is every part after it (hclsyntax's TemplateExpr in
     * HCL 2.20, which terraform-config-inspect builds with). Directives and heredocs with
     * interpolations are not followed: a string, unknown. Null when an interpolation is not an
     * expression {@link StaticValues} follows.
     */
    static @Nullable StaticValue of(List<HclToken.TemplatePart> template, Function<List<HclToken>, Optional<StaticValue>> evaluate) {
        // HCL's scanner gives no token for the empty text around "${x}".
        List<HclToken.TemplatePart> parts = template.stream().filter(p -> p.interpolation() || !p.text().isEmpty()).toList();
        if (template.isEmpty()) {
            return StaticValue.unknown(Simple.STRING);
        }
        if (parts.size() == 1 && parts.get(0).interpolation()) {
            return interpolation(parts.get(0), evaluate).orElse(null);
        }
        StringBuilder out = new StringBuilder();
        boolean known = true;
        boolean failed = false;
        for (HclToken.TemplatePart part : parts) {
            String text = part.text();
            if (part.interpolation()) {
                Optional<StaticValue> value = interpolation(part, evaluate);
                if (value.isEmpty()) {
                    return null;
                }
                StaticValue converted = value.get().isNull() ? null : StaticConversions.convert(value.get(), Simple.STRING);
                if (converted == null) {
                    failed = true;
                    continue;
                }
                if (!converted.isKnown()) {
                    known = false;
                    continue;
                }
                text = Objects.requireNonNull(converted.known()).asText();
            }
            if (known && !failed) {
                out.append(text);
            }
        }
        return known ? StaticValue.string(out.toString()) : StaticValue.unknown(Simple.STRING);
    }

    /** An interpolation's value, {@code evaluate}d where the template is (in the names its for expressions bind). */
    private static Optional<StaticValue> interpolation(HclToken.TemplatePart part, Function<List<HclToken>, Optional<StaticValue>> evaluate) {
        List<HclToken> inner;
        try {
            inner = HclLexer.tokens(part.text());
        } catch (HclSyntaxException e) {
            return Optional.empty();
        }
        return evaluate.apply(inner.subList(0, inner.size() - 1).stream().filter(x -> x.kind() != Kind.NEWLINE).toList());
    }
}
