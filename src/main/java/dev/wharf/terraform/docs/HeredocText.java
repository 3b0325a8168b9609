package dev.wharf.terraform.docs;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A heredoc's value from its lines (each with its newline). An indented heredoc ({@code <<-}) loses
 * the smallest indentation of its lines, counted in characters, where lines of only white space
 * neither count nor change: HCL's rule. A heredoc holding a template has no literal value.
 */
final class HeredocText {
    private HeredocText() {
    }

    static @Nullable String literal(List<String> lines, boolean flush) {
        for (String line : lines) {
            if (TemplateMarks.holdsTemplate(line)) {
                return null;
            }
        }
        int indent = Integer.MAX_VALUE;
        if (flush) {
            for (String line : lines) {
                String trimmed = line.stripLeading();
                if (!trimmed.isEmpty()) {
                    indent = Math.min(indent, line.length() - trimmed.length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            boolean blank = line.stripLeading().isEmpty();
            String kept = flush && !blank ? line.substring(indent) : line;
            out.append(TemplateMarks.unescape(kept));
        }
        return out.toString();
    }
}
