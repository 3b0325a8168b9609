package dev.wharf.http.ui;

import dev.wharf.http.ReadyAnswer;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/** What every server-rendered page of both programs answers with: no script, no framing, no sniffing, and its assets from the jar. */
public final class PageSecurity {
    /** No script at all: the pages work without one, so a README that slips past the sanitiser still cannot run any. */
    public static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private PageSecurity() {
    }

    /** A page behind sign-in must not sit in a shared cache; an open one may, but is checked each time. */
    public static void headers(Context ctx, boolean signInRequired) {
        for (ReadyAnswer.Header header : headers(signInRequired)) {
            ctx.header(header.name(), header.value());
        }
    }

    /** The same headers, for a page answered from memory ({@link dev.wharf.http.ReadyAnswers}). */
    public static List<ReadyAnswer.Header> headers(boolean signInRequired) {
        return List.of(new ReadyAnswer.Header("Content-Security-Policy", CSP), new ReadyAnswer.Header("X-Content-Type-Options", "nosniff"),
                new ReadyAnswer.Header("Referrer-Policy", "no-referrer"), new ReadyAnswer.Header("X-Frame-Options", "DENY"),
                new ReadyAnswer.Header("Cache-Control", signInRequired ? "private, no-store" : "no-cache"));
    }

    /** An asset shipped beside {@code owner}; missing means a broken jar, so it fails at start, not per request. */
    public static byte[] asset(Class<?> owner, String name) {
        try (InputStream in = Objects.requireNonNull(owner.getResourceAsStream(name), name + " is missing from the jar")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
