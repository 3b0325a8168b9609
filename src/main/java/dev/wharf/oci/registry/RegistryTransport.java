package dev.wharf.oci.registry;

import dev.wharf.oci.IdleBoundedBody;
import dev.wharf.oci.ManifestCodec;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.RegistryAuthenticator;
import dev.wharf.oci.auth.TokenServerFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Sends {@link RegistryCall}s: finds the protocol with a {@code /v2/} ping on first use ({@link RegistryPing}), adds
 * authentication (and answers a 401 once), follows redirects by hand ({@link RegistryRedirects}) so that an
 * {@code Authorization} header never travels to another host, bounds every request by
 * {@link RegistryTimeouts}, and repeats failed requests as {@link RetryRule} allows, a token server's failures
 * included. Answers come back with the body unread; failures come out as
 * {@link StorageException}s phrased by {@link RegistryFailures}.
 */
final class RegistryTransport {
    /** A manifest's limit, which every other small answer (JSON, an error) shares. */
    static final int SMALL_BODY_LIMIT = ManifestCodec.MAX_MANIFEST_BYTES;

    private final RegistryAddress address;
    private final RegistryPing ping;
    private final Supplier<HttpClient> http;
    private final BodyExchange bodiless;
    private final RegistryAuthenticator auth;
    private final RetryPolicy retry;
    private final RegistryTimeouts timeouts;
    private final Clock clock;
    private final RegistryFailures failures;
    private final BodyBounds bodyBounds;
    private final ObservedExchanges observed;
    private volatile @Nullable URI base;

    /**
     * {@code bodiless} carries every GET, HEAD and DELETE (all reads, blob reads included);
     * {@code http} the rest (uploads, manifest pushes). The JDK client's manifest reads were a fifth of
     * package-registry's index CPU (bench/RESULTS.md, session 11), and a store that only reads never builds it.
     */
    RegistryTransport(RegistryAddress address, boolean insecure, Supplier<HttpClient> http, BodyExchange bodiless, RegistryAuthenticator auth,
                      RetryPolicy retry, RegistryTimeouts timeouts, Clock clock, RegistryCallObserver observer) {
        this.observed = new ObservedExchanges(observer);
        this.address = address;
        this.timeouts = timeouts;
        this.clock = clock;
        this.http = http;
        this.bodiless = bodiless;
        this.auth = auth;
        this.retry = retry;
        this.failures = new RegistryFailures(address.authority());
        this.ping = new RegistryPing(address, insecure, auth, failures);
        this.bodyBounds = new BodyBounds(timeouts, clock);
    }

    RegistryFailures failures() {
        return failures;
    }

    RetryPolicy retry() {
        return retry;
    }

    RegistryTimeouts timeouts() {
        return timeouts;
    }

    /** The registry's base URI; the first call pings {@code /v2/} to pick the protocol and learn the auth challenge. */
    URI base() {
        URI known = base;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (base == null) {
                base = ping.base((call, uri) -> sendWithRetries(call, uri, false, deadline()));
            }
            return base;
        }
    }

    /** Sends {@code call} and returns the answer with its body unread, whatever the status. */
    HttpResponse<InputStream> send(RegistryCall call) {
        // The budget starts after the first call's ping (base()), which has its own: counted in, it had left a tag check
        // made at a process's start too little time on a slow registry (ConcurrentUploadProcessTest).
        URI uri = call.resolve(base());
        return sendWithRetries(call, uri, true, deadline());
    }

    /**
     * As {@link #send(RegistryCall)}, within a deadline ({@link System#nanoTime}) shared with other requests: the
     * pages of one tag listing are one request to whoever waits for the list.
     */
    HttpResponse<InputStream> send(RegistryCall call, long deadline) {
        URI uri = call.resolve(base());
        return sendWithRetries(call, uri, true, deadline);
    }

    /** When a request starting now must be done, answer body included: the retry budget from now. */
    long deadline() {
        return System.nanoTime() + timeouts.retryBudget().toNanos();
    }

    /**
     * Sends {@code call} until it gets an answer worth returning, as {@link RetryRule} and
     * {@link RetryPolicy} allow, all within the retry budget: a registry that never answers costs
     * the caller the budget, not attempts × timeouts.
     */
    private HttpResponse<InputStream> sendWithRetries(RegistryCall call, URI uri, boolean authenticate, long deadline) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<InputStream> answer = authenticate ? authenticated(call, uri, deadline)
                        : exchange(call, uri, Optional.empty(), deadline);
                Optional<Duration> wait = retryWait(RetryRule.retryable(answer.statusCode(), call.idempotent(), attempt), attempt,
                        RetryRule.retryAfter(answer.headers(), clock), deadline);
                if (wait.isEmpty()) {
                    return attempt == 1 ? answer : new TriedAnswer(answer, attempt);
                }
                AnswerBodies.discard(answer);
                pause(wait.get(), call.action());
            } catch (IOException e) {
                Optional<Duration> wait = retryWait(RetryRule.retryable(RetryRule.classify(e), call.idempotent()), attempt,
                        Optional.empty(), deadline);
                pause(wait.orElseThrow(() -> failures.transport(e, display(uri), call.repository(), call.action())), call.action());
            } catch (TokenServerFailure e) {
                // The token server is judged as the registry is, as idempotent: the request itself was not sent yet.
                IOException broken = e.ioFailure();
                boolean retryable = broken != null ? RetryRule.retryable(RetryRule.classify(broken), true) : RetryRule.retryable(e.status(), true, attempt);
                Optional<Duration> wait = retryWait(retryable, attempt, RetryRule.retryAfter(e.headers(), clock), deadline);
                pause(wait.orElseThrow(() -> e), call.action());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failures.interrupted(call.action(), e);
            }
        }
    }

    /** Waits before the next attempt at {@code action}; an interrupt fails it as an interrupted request does. */
    void pause(Duration wait, String action) {
        try {
            RetryPolicy.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.interrupted(action, e);
        }
    }

    /** The wait before the next attempt, or empty when the failure is final or no attempt or time is left. */
    private Optional<Duration> retryWait(boolean retryable, int attempt, Optional<Duration> retryAfter, long deadline) {
        return retryable ? retry.next(attempt, retryAfter, remaining(deadline)) : Optional.empty();
    }

    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private HttpResponse<InputStream> authenticated(RegistryCall call, URI uri, long deadline) throws IOException, InterruptedException {
        Optional<String> authorization = auth.authorization(call.scopes(), deadline);
        HttpResponse<InputStream> answer = fromRegistry(exchange(call, uri, authorization, deadline), call, uri);
        if (answer.statusCode() == 401 && auth.retryAfterUnauthorized(
                answer.headers().allValues("WWW-Authenticate"), call.scopes(), authorization)) {
            AnswerBodies.discard(answer);
            answer = fromRegistry(exchange(call, uri, auth.authorization(call.scopes(), deadline), deadline), call, uri);
        }
        return answer;
    }

    /**
     * The answer, unless it is a 401 from another host (a storage host the registry redirected to, an upload's
     * Location): that host's challenge must never be learned, or the registry's credentials would go to
     * whatever realm it names, and so would every later token request.
     */
    private HttpResponse<InputStream> fromRegistry(HttpResponse<InputStream> answer, RegistryCall call, URI uri) {
        if (answer.statusCode() != 401 || AnswerBodies.sameOrigin(answer.uri(), registry(uri))) {
            return answer;
        }
        AnswerBodies.discard(answer);
        throw failures.foreignUnauthorized(display(answer.uri()), describe(), call);
    }

    /** The registry's own origin: credentials and challenges belong to it alone. */
    private URI registry(URI uri) {
        URI known = base;
        return known != null ? known : uri;
    }

    private HttpResponse<InputStream> exchange(RegistryCall call, URI uri, Optional<String> authorization, long deadline)
            throws IOException, InterruptedException {
        URI target = uri;
        String method = call.method();
        for (int hop = 0; ; hop++) {
            boolean upload = call.upload() && hop == 0;
            UploadProgress progress = upload ? new UploadProgress(call.body().get()) : null;
            // POST and PUT stay on the JDK client even when empty, so registries keep receiving them exactly
            // as before (with Content-Length: 0); only methods that never carry a body moved.
            boolean bodilessMethod = !upload && (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"));
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .method(method, progress != null ? progress : hop == 0 ? call.body().get() : HttpRequest.BodyPublishers.noBody());
            call.headers().forEach(request::header);
            if (!upload) {
                // At least a moment even when the budget is spent, so the last try is a real one.
                Duration left = remaining(deadline);
                request.timeout(min(timeouts.response(), left.toMillis() < 100 ? Duration.ofMillis(100) : left));
            }
            // Credentials go only to the registry itself: never to a storage host it redirects to, nor to another host a
            // Link or an upload's Location names (the call's own URI may be one of those), as Docker's client keeps
            // them to the hosts whose challenge it learned.
            if (authorization.isPresent() && AnswerBodies.sameOrigin(target, registry(uri))) {
                request.header("Authorization", authorization.get());
            }
            HttpRequest built = request.build();
            HttpResponse<InputStream> answer = observed.send(call, target, method, () -> bodilessMethod ? bodiless.send(built)
                    : progress != null ? progress.send(http.get(), built, IdleBoundedBody.handler(timeouts.idle()), timeouts)
                    : http.get().send(built, IdleBoundedBody.handler(timeouts.idle())));
            bodyBounds.bound(call, answer, deadline, describe());
            Optional<String> location = RegistryRedirects.followed(call, answer, hop);
            if (location.isEmpty()) {
                return answer;
            }
            AnswerBodies.discard(answer);
            URI from = target;
            target = RegistryRedirects.httpTarget(target, location.get()).orElseThrow(() -> failures.malformed(display(from), call,
                    "a redirect (HTTP " + answer.statusCode() + ") to something that is not an http or https URL"));
            method = RegistryRedirects.nextMethod(answer.statusCode(), method);
        }
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The first redirect target of a GET, without following it (for presigned blob URLs). */
    Optional<URI> redirectTarget(RegistryCall call) {
        URI uri = call.resolve(base());
        HttpResponse<InputStream> answer = sendWithRetries(call, uri, true, deadline());
        AnswerBodies.discard(answer);
        return RegistryRedirects.target(answer, uri);
    }

    /** Reads a small answer body (a manifest, JSON, an error), at most 4 MiB. */
    byte[] readSmall(HttpResponse<InputStream> answer, RegistryCall call, URI uri) {
        return AnswerBodies.readSmall(failures, answer, call, uri);
    }

    /** The failure for an answer the caller did not expect; reads what is left of the body for the message. */
    StorageException unexpected(HttpResponse<InputStream> answer, RegistryCall call) {
        byte[] body;
        try (InputStream in = answer.body()) {
            body = in.readNBytes(64 << 10);
        } catch (IOException e) {
            body = new byte[0];
        }
        return unexpected(answer, call, body);
    }

    StorageException unexpected(HttpResponse<InputStream> answer, RegistryCall call, byte[] body) {
        return failures.status(answer.statusCode(), answer.headers(), body, display(answer.uri()), call, TriedAnswer.tries(answer),
                auth.credentials(), auth.challenge());
    }

    /** The URL without query (upload locations carry state, presigned URLs carry signatures). */
    static String display(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    String describe() {
        URI known = base;
        return known != null ? known.getScheme() + "://" + address.authority() : address.authority();
    }
}
