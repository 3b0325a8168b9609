package dev.wharf.http.ui;

import dev.wharf.http.ReadyAnswer;
import dev.wharf.http.ReadyAnswers;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Pages kept as {@link ReadyAnswers}, the way the APIs keep their answers: a repeat GET of the same
 * page is answered from memory in front of the router, while what the page shows is current and
 * the visitor would pass the router's sign-in check. A page may name the host it was asked on (the
 * usage snippets do), so it is repeated only for requests naming the same host.
 */
public final class ReadyPages {
    /**
     * Whether a request with these headers carries a session the UI admits, decided from memory ({@link ReadyAnswers.Check});
     * {@code secure}: it came over TLS, where the session cookie has its {@code __Secure-} name ({@link SessionCookie}).
     */
    @FunctionalInterface
    public interface Visitors {
        boolean admitWithoutWaiting(Function<String, String> requestHeader, boolean secure);
    }

    static final String HTML = HtmlPages.CONTENT_TYPE;
    private final ReadyAnswers answers;
    private final boolean signInRequired;
    private final Visitors visitors;

    public ReadyPages(ReadyAnswers answers, boolean signInRequired, Visitors visitors) {
        this.answers = answers;
        this.signInRequired = signInRequired;
        this.visitors = visitors;
    }

    /** Answers with {@code html} and keeps it for repeats while {@code current} holds ({@link ReadyAnswers.Check}: memory only). */
    public void send(Context ctx, String html, BooleanSupplier current) {
        send(ctx, HTML, html.getBytes(StandardCharsets.UTF_8), current);
    }

    public void send(Context ctx, String contentType, byte[] body, BooleanSupplier current) {
        // Jetty writes "text/html; charset=utf-8" back as "text/html;charset=utf-8": both answers say it that way.
        String type = contentType.replace("; charset=", ";charset=");
        boolean secure = SessionCookie.secure(ctx);
        if (!visitors.admitWithoutWaiting(ctx::header, secure)) {
            // This visitor's repeats go to the router anyway (an OIDC session): answered alike, not kept.
            ReadyAnswer.sendOnce(ctx, type, PageSecurity.headers(signInRequired), body, true);
            return;
        }
        ReadyAnswer page = ReadyAnswer.of(ctx.endpoint().path, type, PageSecurity.headers(signInRequired), body, true);
        page.sendTo(ctx);
        String host = ctx.header("Host");
        // A repeat is taken for one over the same scheme when it names the same host and says the same of TLS: the
        // check reads the session under this request's cookie name.
        String proto = ctx.header("X-Forwarded-Proto");
        answers.remember(ReadyAnswers.target(ctx), page, header -> Objects.equals(header.apply("Host"), host)
                && Objects.equals(header.apply("X-Forwarded-Proto"), proto) && visitors.admitWithoutWaiting(header, secure) && current.getAsBoolean());
    }
}
