package dev.wharf.terraform.docs;

import dev.wharf.terraform.docs.HclToken.Kind;
import dev.wharf.terraform.docs.StaticType.Simple;
import dev.wharf.terraform.docs.TemplateNodes.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A quoted template's value, its interpolations and directives evaluated as {@link StaticValues} evaluates. */
final class StaticTemplate {
    private final StaticWork work;

    private StaticTemplate(StaticWork work) {
        this.work = work;
    }

    /**
     * A quoted string's or heredoc's template value. One whose only part is an interpolation is that
     * value itself (HCL unwraps it). Otherwise a string, unknown if an interpolation is; an
     * interpolation that is null or no string converts is left out, and so is every part after it
     * (hclsyntax's TemplateExpr in HCL 2.20, which terraform-config-inspect builds with). An
     * {@code if} directive is a conditional of its two templates, a {@code for} directive its body's
     * strings joined (a {@code for} expression's rules). An indented heredoc with strip markers has
     * no parts: a string, unknown. Null when a part is not one {@link StaticValues} follows, or
     * templates nest past {@link HclParser#MAX_NESTING}; {@code scope} holds the names the
     * {@code for} expressions around the template bind.
     */
    static @Nullable StaticValue of(List<HclToken.TemplatePart> template, StaticWork work, Map<String, StaticValue> scope) {
        if (template.isEmpty()) {
            return StaticValue.unknown(Simple.STRING);
        }
        try {
            return work.enterTemplate() ? evaluate(template, work, scope) : null;
        } finally {
            work.leaveTemplate();
        }
    }

    private static @Nullable StaticValue evaluate(List<HclToken.TemplatePart> template, StaticWork work, Map<String, StaticValue> scope) {
        List<Node> nodes = TemplateNodes.of(template);
        if (nodes == null) {
            return null;
        }
        StaticTemplate reader = new StaticTemplate(work);
        if (nodes.size() == 1 && nodes.get(0) instanceof TemplateNodes.Interpolation only) {
            return reader.expression(only.source(), scope).orElse(null);
        }
        return reader.joined(nodes, scope);
    }

    private @Nullable StaticValue joined(List<Node> nodes, Map<String, StaticValue> scope) {
        StringBuilder out = new StringBuilder();
        boolean known = true;
        boolean failed = false;
        for (Node node : nodes) {
            StaticValue value = value(node, scope);
            if (value == null) {
                return null;
            }
            StaticValue converted = value.isNull() ? null : StaticConversions.convert(value, Simple.STRING);
            if (converted == null) {
                failed = true;
                continue;
            }
            if (!converted.isKnown()) {
                known = false;
                continue;
            }
            if (known && !failed) {
                out.append(Objects.requireNonNull(converted.known()).asText());
            }
        }
        return known ? StaticValue.string(out.toString()) : StaticValue.unknown(Simple.STRING);
    }

    private @Nullable StaticValue value(Node node, Map<String, StaticValue> scope) {
        if (node instanceof TemplateNodes.Text text) {
            return StaticValue.string(text.text());
        }
        if (node instanceof TemplateNodes.Interpolation interpolation) {
            return expression(interpolation.source(), scope).orElse(null);
        }
        if (node instanceof TemplateNodes.If choice) {
            StaticValue condition = expression(choice.condition(), scope).orElse(null);
            StaticValue yes = joined(choice.yes(), scope);
            StaticValue no = joined(choice.no(), scope);
            return condition == null || yes == null || no == null ? null : StaticConditional.choose(condition, yes, no);
        }
        return loop((TemplateNodes.For) node, scope);
    }

    /** {@code %{ for k, v in collection }body%{ endfor }}: the body's strings joined, unknown if one is or nothing is iterated. */
    private @Nullable StaticValue loop(TemplateNodes.For loop, Map<String, StaticValue> scope) {
        List<HclToken> header = tokens(loop.header());
        if (header == null) {
            return null;
        }
        int in = header.indexOf(header.stream().filter(t -> t.is(Kind.IDENT, "in")).findFirst().orElse(header.get(0)));
        List<HclToken> names = header.subList(1, Math.max(in, 1)).stream().filter(t -> !t.punct(",")).toList();
        if (in < 2 || names.isEmpty() || names.size() > 2 || names.stream().anyMatch(t -> t.kind() != Kind.IDENT)) {
            return null;
        }
        Optional<StaticValue> collection = StaticValues.evaluate(header.subList(in + 1, header.size()), work, scope);
        if (collection.isEmpty()) {
            return null;
        }
        List<List<StaticValue>> items = StaticFor.items(collection.get());
        if (items == null) {
            return StaticValue.unknown(Simple.STRING);
        }
        StringBuilder out = new StringBuilder();
        boolean known = true;
        for (List<StaticValue> item : items) {
            Map<String, StaticValue> bound = new HashMap<>(scope);
            if (names.size() == 2) {
                bound.put(names.get(0).text(), item.get(0));
            }
            bound.put(names.get(names.size() - 1).text(), item.get(1));
            StaticValue body = joined(loop.body(), bound);
            if (body == null || !work.spendOn(body)) {
                return null;
            }
            if (!body.isKnown()) {
                known = false;
            } else if (known) {
                out.append(Objects.requireNonNull(body.known()).asText());
            }
        }
        return known ? StaticValue.string(out.toString()) : StaticValue.unknown(Simple.STRING);
    }

    private Optional<StaticValue> expression(String source, Map<String, StaticValue> scope) {
        List<HclToken> inner = tokens(source);
        return inner == null ? Optional.empty() : StaticValues.evaluate(inner, work, scope);
    }

    /** A sequence's tokens, without newlines (inside {@code ${…}} HCL reads them as spaces); null if it does not lex. */
    private static @Nullable List<HclToken> tokens(String source) {
        try {
            List<HclToken> all = HclLexer.tokens(source);
            return all.subList(0, all.size() - 1).stream().filter(x -> x.kind() != Kind.NEWLINE).toList();
        } catch (HclSyntaxException e) {
            return null;
        }
    }
}
