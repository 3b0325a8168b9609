package dev.wharf.http;

import dev.wharf.http.access.Access;
import dev.wharf.http.access.FailedCredentials;
import dev.wharf.http.ui.SessionCookie;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Stops credential guessing: a request that presents a credential on a guarded route from an
 * address with too many failed checks ({@link FailedCredentials}) is answered 429 with
 * {@code Retry-After}, before any handler checks its credential, ready answers included; every
 * other request goes on, and a guarded one whose check failed is counted once it is answered.
 * The address is the client's as {@link ProxiedRequests} resolved it, so behind trusted proxies
 * each forwarded client has its own budget.
 *
 * <p>A check failed when the answer is 401 (the APIs and the sign-in forms say so), or when the
 * handler marked the request with {@link #REFUSED_ATTRIBUTE} (a UI page whose session cookie was
 * refused leads to the form instead). A request without a credential is no guess: never counted,
 * never throttled.
 */
public final class CredentialThrottle extends Handler.Wrapper {
    /** The request attribute a handler sets when it refused a credential without answering 401. */
    public static final String REFUSED_ATTRIBUTE = "wharf.credential.refused";
    /**
     * The request attribute a handler sets when it refused a credential it could not check (its OIDC
     * issuer, a trusted publisher's or boring-registry's own, cannot be reached): no failed check, though
     * answered 401, since valid tokens are refused alike and counting them would throttle a CI fleet
     * after the issuer's outage.
     */
    public static final String UNCHECKED_ATTRIBUTE = "wharf.credential.unchecked";

    private final FailedCredentials failures;
    private final Guarded guarded;
    private final Counter throttled;

    /**
     * Where credentials are checked, and what carries one besides an {@code Authorization} header.
     *
     * @param path       whether a path is a guarded route: open routes (discovery, health) are never throttled
     * @param cookie     the UI's session cookie: a credential only by the name the UI reads for the request's scheme (the
     *                   {@code __Secure-} one over TLS, as a trusted proxy's X-Forwarded-Proto says too) and on its
     *                   pages, so a stray cookie of the other name neither counts against a visitor nor stops its pages
     * @param signInPath the UI's sign-in form, whose POST carries a token in its body
     */
    public record Guarded(Predicate<String> path, SessionCookie cookie, String signInPath) {
        boolean presentsCredential(Request request, String requestPath) {
            HttpFields headers = request.getHeaders();
            String authorization = headers.get(HttpHeader.AUTHORIZATION);
            // The scheme as ProxiedRequests left it, which is what the UI's pages read (Context.scheme) to name the cookie.
            return authorization != null && !authorization.isBlank()
                    || cookie.presentIn(headers.get(HttpHeader.COOKIE), request.getHttpURI().getScheme(), requestPath)
                    || HttpMethod.POST.is(request.getMethod()) && requestPath.equals(signInPath);
        }
    }

    CredentialThrottle(FailedCredentials failures, Guarded guarded, Counter throttled) {
        this.failures = failures;
        this.guarded = guarded;
        this.throttled = throttled;
    }

    /** Leaves a request refused with {@code refused} out of the count when its token could not be checked ({@link #UNCHECKED_ATTRIBUTE}). */
    public static void uncheckedIf(Context ctx, Access refused) {
        if (refused.unchecked()) {
            ctx.attribute(UNCHECKED_ATTRIBUTE, true);
        }
    }

    /**
     * Puts the throttle in front of the server's handlers (the ready answers and the router); call
     * it from the routes' callback of {@link WebServer#start}. Nothing is installed when the limit is 0.
     */
    public static void install(JavalinConfig cfg, FailedCredentials failures, Guarded guarded, MeterRegistry metrics) {
        if (!failures.enabled()) {
            return;
        }
        Counter counter = Counter.builder("wharf.auth.throttled")
                .description("Requests with credentials answered 429 because their address failed too many credential checks")
                .register(metrics);
        cfg.jetty.modifyServer(server -> server.insertHandler(new CredentialThrottle(failures, guarded, counter)));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path == null || !guarded.path().test(path) || !guarded.presentsCredential(request, path)) {
            return super.handle(request, response, callback);
        }
        String address = Request.getRemoteAddr(request);
        Optional<Duration> wait = failures.throttled(address);
        if (wait.isPresent()) {
            throttled.increment();
            tooMany(request, response, callback, wait.get());
            return true;
        }
        Request.addCompletionListener(request, failure -> {
            if ((response.getStatus() == 401 || request.getAttribute(REFUSED_ATTRIBUTE) != null)
                    && request.getAttribute(UNCHECKED_ATTRIBUTE) == null) {
                failures.failed(address);
            }
        });
        return super.handle(request, response, callback);
    }

    private static void tooMany(Request request, Response response, Callback callback, Duration wait) {
        // Rounded up: a client that waits as long as told finds its window over.
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        response.setStatus(429);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String body = "too many failed credential checks from this address: try again in " + seconds + " s\n";
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
