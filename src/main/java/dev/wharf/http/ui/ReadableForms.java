package dev.wharf.http.ui;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import org.jspecify.annotations.Nullable;

/**
 * Refuses a UI form post whose Content-Type names a charset this JVM does not know before a field
 * is read: Javalin reads the fields in that charset and its lookup threw, which answered the post
 * with a 500. A browser sends the page's own charset (UTF-8), so only a hand-made request meets this.
 */
public final class ReadableForms {
    private ReadableForms() {
    }

    /** {@code post}, run only when its form's charset, if it names one, can be read. */
    public static Handler only(Handler post) {
        return ctx -> {
            String charset = ctx.characterEncoding();
            if (charset != null && !known(charset)) {
                refuse(ctx, charset);
                return;
            }
            post.handle(ctx);
        };
    }

    static boolean known(@Nullable String charset) {
        try {
            return charset != null && Charset.isSupported(charset.strip());
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    private static void refuse(Context ctx, String charset) {
        SameOriginPosts.refusalPage(ctx, 415, "<p>This form was sent in a character set this registry cannot read ("
                + HtmlText.escape(charset) + "), so it was ignored.</p>\n<p>Nothing changed. Send it as UTF-8, as "
                + "<a href=\"/ui/\">this registry's own pages</a> do.</p>");
    }
}
