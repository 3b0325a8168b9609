package dev.wharf.terraform.docs;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A heredoc ({@code <<EOT} … {@code EOT}, or the indented {@code <<-EOT}) read from its
 * {@code <<} to just before the newline that ends its closing marker's line.
 *
 * @param literal its value, or null when it holds a template
 * @param end the offset where reading stopped
 * @param lines how many newlines it spans
 * @param body its lines as written (each with its newline), for a template's parts
 * @param flush whether it is an indented heredoc ({@code <<-EOT})
 */
record HeredocText(@Nullable String literal, int end, int lines, String body, boolean flush) {

    static boolean startsAt(String src, int pos) {
        if (!src.startsWith("<<", pos)) {
            return false;
        }
        int p = pos + 2;
        if (p < src.length() && src.charAt(p) == '-') {
            p++;
        }
        return p < src.length() && (Character.isLetter(src.charAt(p)) || src.charAt(p) == '_');
    }

    static HeredocText read(String src, int start, int line) throws HclSyntaxException {
        int pos = start + 2;
        boolean flush = src.charAt(pos) == '-';
        if (flush) {
            pos++;
        }
        int nameStart = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_' || src.charAt(pos) == '-')) {
            pos++;
        }
        String marker = src.substring(nameStart, pos);
        if (src.startsWith("\r\n", pos)) {
            pos++;
        }
        if (pos >= src.length() || src.charAt(pos) != '\n') {
            throw new HclSyntaxException(line, "a heredoc's marker <<" + HclParser.quoted(marker) + " must end its line");
        }
        pos++;
        int spanned = 1;
        List<String> lines = new ArrayList<>();
        while (true) {
            if (pos >= src.length()) {
                throw new HclSyntaxException(line, "the heredoc <<" + HclParser.quoted(marker) + " is never closed by a line '" + HclParser.quoted(marker) + "'");
            }
            int newline = src.indexOf('\n', pos);
            int stop = newline < 0 ? src.length() : newline;
            String content = src.substring(pos, stop);
            String bare = content.endsWith("\r") ? content.substring(0, content.length() - 1) : content;
            if (bare.strip().equals(marker)) {
                // The marker's line ends the heredoc; its newline is the attribute's end.
                return new HeredocText(literal(lines, flush), stop, spanned, String.join("", lines), flush);
            }
            lines.add(content + "\n");
            pos = newline < 0 ? src.length() : newline + 1;
            spanned++;
        }
    }

    /**
     * A heredoc template's parts, split as HCL's scanner splits them (literal text at each newline),
     * and an indented one's smallest indentation taken off the literal text that starts a line; a
     * line starting with an interpolation counts as unindented. Null where a strip marker would
     * have to be applied first (not followed).
     */
    static @Nullable List<HclToken.TemplatePart> flushed(List<HclToken.TemplatePart> parts, boolean flush) {
        if (!flush) {
            return parts;
        }
        if (parts.stream().anyMatch(p -> p.interpolation() && (p.text().startsWith("~") || p.text().endsWith("~")))) {
            return null;
        }
        int indent = Integer.MAX_VALUE;
        boolean lineStart = true;
        List<Integer> adjust = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            HclToken.TemplatePart part = parts.get(i);
            if (lineStart && !(part.interpolation() || !part.text().isEmpty())) {
                continue;
            }
            if (lineStart) {
                String text = part.text();
                String trimmed = text.stripLeading();
                if (part.interpolation()) {
                    indent = 0;
                } else if (!(trimmed.isEmpty() && text.endsWith("\n"))) {
                    indent = Math.min(indent, text.length() - trimmed.length());
                    adjust.add(i);
                }
            }
            lineStart = !part.interpolation() && part.text().endsWith("\n");
        }
        List<HclToken.TemplatePart> out = new ArrayList<>(parts);
        for (int i : adjust) {
            out.set(i, new HclToken.TemplatePart(parts.get(i).text().substring(indent), false));
        }
        return out;
    }

    /**
     * The value of these lines (each with its newline). An indented heredoc loses the smallest
     * indentation of its lines, counted in characters, where lines of only white space neither
     * count nor change: HCL's rule. A heredoc holding a template has no literal value.
     */
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
