package dev.wharf.terraform.docs;

import dev.wharf.terraform.docs.HclToken.Kind;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A position in an expression's tokens, for {@link StaticValues}: what comes next, taking it, and
 * HCL's rule for newlines, which inside parentheses and brackets read as spaces and inside braces
 * end an attribute.
 */
final class HclCursor {
    private final List<HclToken> tokens;
    private int at;
    private boolean newlinesIgnored;

    HclCursor(List<HclToken> tokens) {
        this.tokens = tokens;
    }

    boolean done() {
        return at == tokens.size();
    }

    /** The token {@code ahead} places on, or null past the end. */
    @Nullable HclToken ahead(int ahead) {
        return at + ahead < tokens.size() ? tokens.get(at + ahead) : null;
    }

    /** The next token, taken; null at the end. */
    @Nullable HclToken next() {
        return at < tokens.size() ? tokens.get(at++) : null;
    }

    void skip(int count) {
        at += count;
    }

    boolean peek(String punct) {
        return at < tokens.size() && tokens.get(at).punct(punct);
    }

    boolean take(String punct) {
        if (peek(punct)) {
            at++;
            return true;
        }
        return false;
    }

    /** Takes one separator of an object's attributes, a comma or a newline, if one comes next. */
    void takeSeparator() {
        if (peek(",") || (at < tokens.size() && tokens.get(at).kind() == Kind.NEWLINE)) {
            at++;
        }
    }

    void skipNewlines() {
        while (at < tokens.size() && tokens.get(at).kind() == Kind.NEWLINE) {
            at++;
        }
    }

    /** Skips newlines where HCL reads them as spaces (inside parentheses and brackets). */
    void skipIgnoredNewlines() {
        if (newlinesIgnored) {
            skipNewlines();
        }
    }

    /** The operator of {@code operators} that comes next, taken; empty when none does. */
    String takeOperator(Set<String> operators) {
        int before = at;
        skipIgnoredNewlines();
        if (at < tokens.size() && tokens.get(at).kind() == Kind.PUNCT && operators.contains(tokens.get(at).text())) {
            return tokens.get(at++).text();
        }
        at = before;
        return "";
    }

    /** Whether the word {@code word} comes next, past newlines (as {@code for} after {@code [}). */
    boolean word(String word) {
        int next = at;
        while (next < tokens.size() && tokens.get(next).kind() == Kind.NEWLINE) {
            next++;
        }
        return next < tokens.size() && tokens.get(next).is(Kind.IDENT, word);
    }

    /** Takes the word {@code word} if it comes next, past newlines. */
    boolean takeWord(String word) {
        if (!word(word)) {
            return false;
        }
        skipNewlines();
        at++;
        return true;
    }

    /** Where the cursor is, to read the same tokens again from there ({@link #seek}). */
    int position() {
        return at;
    }

    void seek(int position) {
        at = position;
    }

    /** Past the bracketed group that starts here ({@code (…)}, {@code […]}, {@code {…}}); false if it never closes. */
    boolean skipBalanced() {
        int open = 0;
        while (at < tokens.size()) {
            HclToken t = tokens.get(at++);
            if (t.punct("(") || t.punct("[") || t.punct("{")) {
                open++;
            } else if ((t.punct(")") || t.punct("]") || t.punct("}")) && --open == 0) {
                return true;
            }
        }
        return false;
    }

    /** What {@code read} gives inside brackets whose newlines are spaces ({@code true}) or separators. */
    @Nullable StaticValue inBrackets(boolean ignoreNewlines, Supplier<@Nullable StaticValue> read) {
        boolean outer = newlinesIgnored;
        newlinesIgnored = ignoreNewlines;
        try {
            return read.get();
        } finally {
            newlinesIgnored = outer;
        }
    }
}
