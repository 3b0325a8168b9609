package dev.wharf.terraform.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A quoted template's parts as HCL's template parser structures them: strip markers ({@code ${~},
 * {@code ~}}) applied to the literal text beside them, {@code %{ if }…%{ else }…%{ endif }} and
 * {@code %{ for … }…%{ endfor }} directives holding the parts between them.
 */
final class TemplateNodes {
    sealed interface Node {
    }

    record Text(String text) implements Node {
    }

    record Interpolation(String source) implements Node {
    }

    record If(String condition, List<Node> yes, List<Node> no) implements Node {
    }

    record For(String header, List<Node> body) implements Node {
    }

    private final List<HclToken.TemplatePart> parts;
    private int at;
    private int depth;

    private TemplateNodes(List<HclToken.TemplatePart> parts) {
        this.parts = parts;
    }

    /** The template's nodes, or null where its directives do not balance or nest past {@link HclParser#MAX_NESTING}. */
    static @Nullable List<Node> of(List<HclToken.TemplatePart> template) {
        // HCL's scanner gives no token for the empty text around "${x}", so no strip marker reaches past it.
        List<HclToken.TemplatePart> parts = new ArrayList<>(template.stream().filter(p -> p.interpolation() || !p.text().isEmpty()).toList());
        for (int i = 0; i < parts.size(); i++) {
            HclToken.TemplatePart part = parts.get(i);
            if (!part.interpolation()) {
                continue;
            }
            if (part.text().startsWith("~") && i > 0 && !parts.get(i - 1).interpolation()) {
                parts.set(i - 1, new HclToken.TemplatePart(trim(parts.get(i - 1).text(), false), false));
            }
            if (part.text().endsWith("~") && i + 1 < parts.size() && !parts.get(i + 1).interpolation()) {
                parts.set(i + 1, new HclToken.TemplatePart(trim(parts.get(i + 1).text(), true), false));
            }
        }
        TemplateNodes reader = new TemplateNodes(parts);
        List<Node> nodes = reader.sequence(Set.of());
        return nodes == null || reader.at != parts.size() ? null : nodes;
    }

    /** Nodes up to a directive whose keyword is one of {@code ends} (not taken), or the end. */
    private @Nullable List<Node> sequence(Set<String> ends) {
        if (++depth > HclParser.MAX_NESTING) {
            return null;
        }
        try {
            List<Node> out = new ArrayList<>();
            while (at < parts.size()) {
                HclToken.TemplatePart part = parts.get(at);
                if (!part.interpolation()) {
                    out.add(new Text(part.text()));
                    at++;
                    continue;
                }
                String inner = bare(part.text());
                if (!part.directive()) {
                    out.add(new Interpolation(inner));
                    at++;
                    continue;
                }
                String keyword = inner.split("\\s+", 2)[0];
                if (ends.contains(keyword)) {
                    return out;
                }
                at++;
                Node node = switch (keyword) {
                    case "if" -> conditional(inner.substring(2));
                    case "for" -> loop(inner);
                    default -> null;
                };
                if (node == null) {
                    return null;
                }
                out.add(node);
            }
            return ends.isEmpty() ? out : null;
        } finally {
            depth--;
        }
    }

    private @Nullable Node conditional(String condition) {
        List<Node> yes = sequence(Set.of("else", "endif"));
        if (yes == null) {
            return null;
        }
        List<Node> no = List.of();
        if (keyword().equals("else")) {
            at++;
            no = sequence(Set.of("endif"));
            if (no == null) {
                return null;
            }
        }
        if (!keyword().equals("endif")) {
            return null;
        }
        at++;
        return new If(condition, yes, no);
    }

    private @Nullable Node loop(String header) {
        List<Node> body = sequence(Set.of("endfor"));
        if (body == null || !keyword().equals("endfor")) {
            return null;
        }
        at++;
        return new For(header, body);
    }

    /** The keyword of the directive at the cursor, alone in it ({@code %{ else }}), else empty. */
    private String keyword() {
        if (at >= parts.size() || !parts.get(at).directive()) {
            return "";
        }
        String inner = bare(parts.get(at).text());
        return inner.equals("else") || inner.equals("endif") || inner.equals("endfor") ? inner : "";
    }

    /** The text without the white space (Go's unicode.IsSpace) at its start ({@code leading}) or end. */
    private static String trim(String text, boolean leading) {
        int from = 0;
        int to = text.length();
        while (leading && from < to && space(text.charAt(from))) {
            from++;
        }
        while (!leading && to > from && space(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }

    private static boolean space(char c) {
        return Character.isWhitespace(c) && (c < '\u001c' || c > '\u001f') || c == '\u0085' || c == '\u00a0' || c == '\u2007' || c == '\u202f';
    }

    /** A sequence's source without its strip markers and surrounding space. */
    private static String bare(String source) {
        String s = source.startsWith("~") ? source.substring(1) : source;
        s = s.endsWith("~") ? s.substring(0, s.length() - 1) : s;
        return s.strip();
    }
}
