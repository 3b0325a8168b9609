package dev.wharf.oci.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.wharf.oci.BodyWait;
import dev.wharf.oci.DeadlineBody;
import dev.wharf.oci.IdleBoundedBody;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Docker/OCI token protocol: asks a Bearer challenge's realm for a token for some scopes.
 * Basic credentials go in a GET ({@code realm?service=…&scope=…}); a token goes as an OAuth2
 * refresh token in a POST form ({@code grant_type=refresh_token}), which is how identity tokens
 * from {@code docker login} work. Either answer field, {@code token} or {@code access_token}, is
 * accepted. A token is used until {@code expires_in} (60 s when absent, at most a day) minus a margin. Redirects
 * of the realm are followed as Docker's client follows them ({@link TokenRequest#redirected}). Each answer,
 * headers and body, must arrive whole within the timeout given (the registry response timeout), and before the end of
 * the retry budget of the request that needs the token.
 */
public final class TokenExchange {
    static final long DEFAULT_EXPIRES_IN = 60;
    /**
     * A longer lifetime is cut to this: {@code expires_in: 99999999999999999} overflowed the renewal instant, and
     * no token needs to be kept longer (its scope's cache entry goes after an hour unused anyway).
     */
    static final long MAX_EXPIRES_IN = Duration.ofDays(1).toSeconds();
    /** As for blob reads: a token service redirects once (to its real URL); Go's client, Docker's, allows ten. */
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_ANSWER = 1 << 20;
    /**
     * The longest token taken, in characters. A token goes out as an {@code Authorization} header with every request
     * of its scope, so an answer of nearly {@link #MAX_ANSWER} had made each request carry a megabyte of header.
     * Registries' tokens are JWTs of one to a few KiB, and the front proxies registries sit behind refuse a header line
     * far shorter than this (nginx's {@code large_client_header_buffers} is 8k by default): 64 KiB leaves room for any
     * real token and keeps a request's headers small.
     */
    static final int MAX_TOKEN = 64 << 10;
    /** The least a token request is given, however little of its request's budget is left (as the transport gives a request). */
    private static final Duration MIN_WAIT = Duration.ofMillis(100);

    private final Supplier<HttpClient> http;
    private final Clock clock;
    private final Duration timeout;
    private final boolean secretsOverPlainHttp;
    private final ObjectMapper json = new ObjectMapper();

    public TokenExchange(HttpClient http, Clock clock, Duration timeout) {
        this(() -> http, clock, timeout);
    }

    /** With the client built when the first token is asked for (a registry without tokens never needs it). */
    public TokenExchange(Supplier<HttpClient> http, Clock clock, Duration timeout) {
        this(http, clock, timeout, true);
    }

    /**
     * {@code secretsOverPlainHttp} false for a registry reached over HTTPS: its challenge may name a realm on plain
     * {@code http://}, and credentials sent there would cross the network readable by anyone on the way, while the
     * registry itself is reached only encrypted. A realm on plain HTTP is then refused for any request that carries
     * credentials (an anonymous one carries none and still goes).
     */
    public TokenExchange(Supplier<HttpClient> http, Clock clock, Duration timeout, boolean secretsOverPlainHttp) {
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
        this.secretsOverPlainHttp = secretsOverPlainHttp;
    }

    /** What happened at the token endpoint. A refusal carries the HTTP status for the caller's message. */
    public sealed interface Outcome {
        record Granted(BearerToken token) implements Outcome {
        }

        /** Not a token: {@code headers} for a {@code Retry-After}. */
        record Refused(int status, HttpHeaders headers) implements Outcome {
        }
    }

    /** {@link #fetch(AuthChallenge, List, Credentials, String, long)} for a request with no budget of its own. */
    public Outcome fetch(AuthChallenge challenge, List<String> scopes, Credentials credentials, String registry) {
        return fetch(challenge, scopes, credentials, registry, System.nanoTime() + timeout.toNanos());
    }

    /**
     * Asks the realm for a token within the response timeout and before {@code deadline} ({@link System#nanoTime}),
     * the end of the retry budget of the request that needs it, whichever comes first: bounded by the timeout alone,
     * a token server that hangs had held a request past its budget (5 s against a budget of 1).
     */
    public Outcome fetch(AuthChallenge challenge, List<String> scopes, Credentials credentials, String registry, long deadline) {
        String realm = challenge.param("realm").filter(r -> !r.isBlank()).orElseThrow(() -> new StorageException(
                StorageException.Kind.PROTOCOL, "registry " + registry + " asks for a Bearer token but names no realm"
                        + " (token server) in its WWW-Authenticate header; check the registry's auth configuration"));
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new StorageException(StorageException.Kind.PROTOCOL, "registry " + registry
                    + " names a token server that is not a URL; check the registry's auth configuration");
        }
        String scheme = realmUri.getScheme();
        if (scheme == null || realmUri.getHost() == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
            // The JDK's client throws IllegalArgumentException for any other scheme, which had escaped as an internal error.
            throw new StorageException(StorageException.Kind.PROTOCOL, "registry " + registry + " names a token server that is"
                    + " not an http or https URL (" + (scheme == null ? "no scheme" : "scheme '" + scheme + "'")
                    + "); check the registry's auth configuration");
        }
        if (scheme.equalsIgnoreCase("http") && !secretsOverPlainHttp && !(credentials instanceof Credentials.Anonymous)) {
            throw new StorageException(StorageException.Kind.PROTOCOL, "registry " + registry + " is reached over HTTPS but"
                    + " names a token server on plain HTTP, " + display(realmUri) + "; Wharf does not send credentials there,"
                    + " where they would cross the network unprotected: configure the registry's token realm as https://, or"
                    + " use the insecure setting (--storage-oci-insecure, -oci-insecure), for testing only");
        }
        String service = challenge.param("service").orElse(null);
        TokenRequest request;
        if (credentials instanceof Credentials.Token token) {
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=wharf&refresh_token=")
                    .append(encode(token.token()));
            if (service != null) {
                form.append("&service=").append(encode(service));
            }
            if (!scopes.isEmpty()) {
                form.append("&scope=").append(encode(String.join(" ", scopes)));
            }
            request = TokenRequest.post(realmUri, form.toString());
        } else {
            List<String> query = new ArrayList<>();
            if (service != null) {
                query.add("service=" + encode(service));
            }
            scopes.forEach(s -> query.add("scope=" + encode(s)));
            String separator = realm.contains("?") ? "&" : "?";
            URI uri = URI.create(query.isEmpty() ? realm : realm + separator + String.join("&", query));
            request = TokenRequest.get(uri, credentials instanceof Credentials.Basic basic ? basicHeader(basic) : null);
        }
        return send(request, registry, realmUri, deadline);
    }

    /** A token given as a password: GET with Basic credentials, for token servers that refuse the POST form. */
    public Outcome fetchWithTokenAsPassword(AuthChallenge challenge, List<String> scopes, Credentials.Token token, String registry,
                                            long deadline) {
        return fetch(challenge, scopes, new Credentials.Basic("<token>", token.token()), registry, deadline);
    }

    /** Sends {@code request}, following up to {@link #MAX_REDIRECTS} redirects as {@link TokenRequest#redirected} allows. */
    private Outcome send(TokenRequest request, String registry, URI realm, long deadline) {
        TokenRequest current = request;
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response = exchange(current, registry, realm, deadline);
            Optional<String> location = response.headers().firstValue("Location");
            if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
                return answer(response, registry, realm);
            }
            closeQuietly(response);
            URI to;
            try {
                to = current.uri().resolve(location.get());
                if (to.getHost() == null || !("https".equalsIgnoreCase(to.getScheme()) || "http".equalsIgnoreCase(to.getScheme()))) {
                    throw new IllegalArgumentException("not an http or https URL");
                }
            } catch (IllegalArgumentException e) {
                throw new StorageException(StorageException.Kind.PROTOCOL, "the token server of registry " + registry
                        + " redirected to something that is not a URL; check the realm " + display(realm));
            }
            if (hop >= MAX_REDIRECTS) {
                throw new StorageException(StorageException.Kind.PROTOCOL, "the token server of registry " + registry
                        + " redirected more than " + MAX_REDIRECTS + " times (last to " + display(to) + "); check the realm "
                        + display(realm));
            }
            int status = response.statusCode();
            current = current.redirected(status, to).orElseThrow(() -> new StorageException(StorageException.Kind.PROTOCOL,
                    "the token server of registry " + registry + " redirected the token request to another host, " + display(to)
                    + "; Wharf sends the refresh token only to the realm the registry names, " + display(realm)));
        }
    }

    private HttpResponse<InputStream> exchange(TokenRequest request, String registry, URI realm, long budgetEnd) {
        Duration wait = within(budgetEnd);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            // The request's timeout ends with the headers: a token server that then goes silent, or trickles its
            // answer a byte at a time, must not hold the scope's fetch, and every request waiting on it, for long.
            // So the answer, body included, must be whole within the timeout.
            HttpResponse<InputStream> response = http.get().send(request.build(wait), IdleBoundedBody.handler(wait));
            DeadlineBody.bound(response.body(), deadline, "within " + wait.toMillis() + " ms");
            return response;
        } catch (IOException e) {
            throw new TokenServerFailure("cannot reach the token server "
                    + display(realm) + " that registry " + registry
                    + " sends clients to (" + describe(e) + "); check that it is reachable from here", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageException.Kind.UNREACHABLE, "interrupted while fetching a token for " + registry, e);
        }
    }

    /** The timeout, or what is left before {@code budgetEnd} when less; at least a moment, so a last try is a real one. */
    private Duration within(long budgetEnd) {
        long left = Math.max(MIN_WAIT.toNanos(), budgetEnd - System.nanoTime());
        return left < timeout.toNanos() ? Duration.ofNanos(left) : timeout;
    }

    private static void closeQuietly(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // Only freeing the connection: the redirect was already read.
        }
    }

    private static String display(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private Outcome answer(HttpResponse<InputStream> response, String registry, URI realm) {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_ANSWER);
        } catch (BodyWait.SlowAnswerException e) {
            throw new TokenServerFailure("the token server " + display(realm) + " of registry " + registry + " sent its answer too slowly ("
                    + e.getMessage() + "); check that it is not overloaded", e);
        } catch (IOException e) {
            throw new TokenServerFailure("the token server of registry " + registry
                    + " broke off its answer (" + describe(e) + ")", e);
        }
        int status = response.statusCode();
        if (status != 200) {
            return new Outcome.Refused(status, response.headers());
        }
        JsonNode answer = tokenAnswer(body);
        String token = answer.path("token").asText("");
        if (token.isEmpty()) {
            token = answer.path("access_token").asText("");
        }
        if (token.length() > MAX_TOKEN) {
            throw new StorageException(StorageException.Kind.PROTOCOL, "the token server " + display(realm) + " of registry "
                    + registry + " answered a token of " + token.length() + " characters; Wharf takes tokens of up to " + MAX_TOKEN
                    + " (registries' tokens are a few KiB), as a token is sent with every request; check the realm");
        }
        if (token.isEmpty()) {
            throw new StorageException(StorageException.Kind.PROTOCOL, "the token server of registry " + registry
                    + " answered without a token (expected JSON with 'token' or 'access_token'); check the realm "
                    + display(realm));
        }
        double said = answer.path("expires_in").asDouble(DEFAULT_EXPIRES_IN);
        long expiresIn = said >= 1 ? (long) Math.min(said, MAX_EXPIRES_IN) : DEFAULT_EXPIRES_IN;
        // Renew a little early so a token never expires between our check and the registry's.
        long margin = Math.min(30, Math.max(1, expiresIn / 10));
        Instant renewAfter = clock.instant().plusSeconds(expiresIn - margin);
        return new Outcome.Granted(new BearerToken(token, renewAfter));
    }

    /** The token server's JSON answer; a missing node (so no token) when the body is not JSON. */
    private JsonNode tokenAnswer(byte[] body) {
        try {
            JsonNode answer = json.readTree(body);
            return answer == null ? MissingNode.getInstance() : answer;
        } catch (IOException | RuntimeException e) {
            return MissingNode.getInstance();
        }
    }

    static String basicHeader(Credentials.Basic basic) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (basic.username() + ":" + basic.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
