package dev.wharf.oci.registry;

import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.RegistryAuthenticator;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Sends {@link RegistryCall}s: finds the protocol with a {@code /v2/} ping on first use, adds
 * authentication (and answers a 401 once), follows redirects by hand so that an
 * {@code Authorization} header never travels to another host, and repeats idempotent requests on
 * transient failures. Answers come back with the body unread; failures come out as
 * {@link StorageException}s phrased by {@link RegistryFailures}.
 */
final class RegistryTransport {
    static final int SMALL_BODY_LIMIT = 4 << 20;
    private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 502, 503, 504);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;

    private final RegistryAddress address;
    private final boolean insecure;
    private final HttpClient http;
    private final RegistryAuthenticator auth;
    private final RetryPolicy retry;
    private final RegistryFailures failures;
    private final RegistryCallObserver observer;
    private volatile URI base;

    RegistryTransport(RegistryAddress address, boolean insecure, HttpClient http, RegistryAuthenticator auth, RetryPolicy retry) {
        this(address, insecure, http, auth, retry, RegistryCallObserver.NONE);
    }

    RegistryTransport(RegistryAddress address, boolean insecure, HttpClient http, RegistryAuthenticator auth, RetryPolicy retry,
            RegistryCallObserver observer) {
        this.observer = observer;
        this.address = address;
        this.insecure = insecure;
        this.http = http;
        this.auth = auth;
        this.retry = retry;
        this.failures = new RegistryFailures(address.authority());
    }

    RegistryFailures failures() {
        return failures;
    }

    RetryPolicy retry() {
        return retry;
    }

    /** The registry's base URI; the first call pings {@code /v2/} to pick the protocol and learn the auth challenge. */
    URI base() {
        URI known = base;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (base == null) {
                base = ping();
            }
            return base;
        }
    }

    private URI ping() {
        List<String> schemes = address.scheme().map(List::of)
                .orElse(insecure ? List.of("https", "http") : List.of("https"));
        StorageException first = null;
        for (String scheme : schemes) {
            URI candidate = address.base(scheme);
            RegistryCall call = RegistryCall.of("GET", "/v2/", null, "check the registry (GET /v2/)")
                    .timeout30().build();
            try {
                HttpResponse<InputStream> answer = sendWithRetries(call, candidate.resolve("/v2/"), false);
                byte[] body = readSmall(answer, call, candidate.resolve("/v2/"));
                int status = answer.statusCode();
                if (status == 401) {
                    auth.learn(answer.headers().allValues("WWW-Authenticate"));
                    return candidate;
                }
                if (status == 200 && !OciErrors.looksLikeHtml(answer.headers().firstValue("Content-Type").orElse(null), body)) {
                    return candidate;
                }
                if (status == 200 || status == 404) {
                    throw failures.notOci(candidate.resolve("/v2/").toString(), call,
                            status == 404 ? "404 Not Found" : "an HTML page");
                }
                throw failures.status(status, answer.headers(), body, candidate.resolve("/v2/").toString(), call,
                        auth.credentials(), auth.challenge());
            } catch (StorageException e) {
                boolean fallBack = e.kind() == StorageException.Kind.TLS || e.kind() == StorageException.Kind.UNREACHABLE;
                if (first == null) {
                    first = e;
                }
                if (!fallBack) {
                    throw e;
                }
            }
        }
        throw first;
    }

    /** Sends {@code call} and returns the answer with its body unread, whatever the status. */
    HttpResponse<InputStream> send(RegistryCall call) {
        URI uri = call.resolve(base());
        return sendWithRetries(call, uri, true);
    }

    private HttpResponse<InputStream> sendWithRetries(RegistryCall call, URI uri, boolean authenticate) {
        int attempts = call.idempotent() ? retry.maxAttempts() : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<InputStream> answer = authenticate ? authenticated(call, uri) : exchange(call, uri, Optional.empty());
                if (RETRYABLE_STATUS.contains(answer.statusCode()) && attempt < attempts) {
                    Duration wait = retry.afterServerAsked(retryAfter(answer), attempt);
                    discard(answer);
                    RetryPolicy.sleep(wait);
                    continue;
                }
                return answer;
            } catch (IOException e) {
                if (transient_(e) && attempt < attempts) {
                    RetryPolicy.sleep(retry.backoff(attempt));
                    continue;
                }
                throw failures.transport(e, display(uri), call.repository(), call.action());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(StorageException.Kind.UNREACHABLE, "interrupted while trying to " + call.action()
                        + " at registry " + address, e);
            }
        }
    }

    private HttpResponse<InputStream> authenticated(RegistryCall call, URI uri) throws IOException, InterruptedException {
        Optional<String> authorization = auth.authorization(call.scopes());
        HttpResponse<InputStream> answer = exchange(call, uri, authorization);
        if (answer.statusCode() == 401 && auth.retryAfterUnauthorized(
                answer.headers().allValues("WWW-Authenticate"), call.scopes(), authorization)) {
            discard(answer);
            answer = exchange(call, uri, auth.authorization(call.scopes()));
        }
        return answer;
    }

    private HttpResponse<InputStream> exchange(RegistryCall call, URI uri, Optional<String> authorization)
            throws IOException, InterruptedException {
        URI target = uri;
        String method = call.method();
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .method(method, hop == 0 ? call.body().get() : HttpRequest.BodyPublishers.noBody());
            call.headers().forEach(request::header);
            if (call.timeout() != null) {
                request.timeout(call.timeout());
            }
            // Credentials go only to the registry itself, never to a storage host it redirects to.
            if (authorization.isPresent() && sameOrigin(target, uri)) {
                request.header("Authorization", authorization.get());
            }
            HttpResponse<InputStream> answer = observed(call, target, method, request.build());
            if (!call.followRedirects() || !REDIRECTS.contains(answer.statusCode())) {
                return answer;
            }
            Optional<String> location = answer.headers().firstValue("Location");
            if (location.isEmpty() || hop >= MAX_REDIRECTS) {
                return answer;
            }
            discard(answer);
            target = target.resolve(location.get());
            if (answer.statusCode() == 303) {
                method = "GET";
            }
        }
    }

    private HttpResponse<InputStream> observed(RegistryCall call, URI target, String method, HttpRequest request)
            throws IOException, InterruptedException {
        String operation = RegistryCallObserver.operation(method, call.path().startsWith("/") ? call.path() : target.getRawPath()
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            observer.called(operation, answer.statusCode(), System.nanoTime() - start);
            return answer;
        } catch (IOException e) {
            observer.called(operation, 0, System.nanoTime() - start);
            throw e;
        }
    }

    /** The first redirect target of a GET, without following it (for presigned blob URLs). */
    Optional<URI> redirectTarget(RegistryCall call) {
        URI uri = call.resolve(base());
        HttpResponse<InputStream> answer = sendWithRetries(call, uri, true);
        discard(answer);
        if (REDIRECTS.contains(answer.statusCode())) {
            return answer.headers().firstValue("Location").map(uri::resolve);
        }
        return Optional.empty();
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : (u.getScheme().equalsIgnoreCase("https") ? 443 : 80);
    }

    /** Reads a small answer body (JSON, errors), at most 4 MiB. */
    byte[] readSmall(HttpResponse<InputStream> answer, RegistryCall call, URI uri) {
        try (InputStream in = answer.body()) {
            return in.readNBytes(SMALL_BODY_LIMIT);
        } catch (IOException e) {
            throw failures.transport(e, display(uri), call.repository(), call.action());
        }
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
        return failures.status(answer.statusCode(), answer.headers(), body, display(answer.uri()), call,
                auth.credentials(), auth.challenge());
    }

    static void discard(HttpResponse<InputStream> answer) {
        try (InputStream in = answer.body()) {
            in.readNBytes(64 << 10);
        } catch (IOException e) {
            // Only freeing the connection; the answer was already judged.
        }
    }

    private static Duration retryAfter(HttpResponse<?> answer) {
        Optional<String> value = answer.headers().firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        String v = value.get().trim();
        try {
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Duration.between(ZonedDateTime.now(at.getZone()), at);
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    /** Resets, broken connections, refused connections (a restarting registry) and timeouts; never TLS or DNS failures. */
    private static boolean transient_(IOException e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t instanceof SSLException || t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return false;
            }
        }
        return e instanceof HttpTimeoutException || e instanceof ConnectException || chain.stream().anyMatch(t -> t instanceof IOException);
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
