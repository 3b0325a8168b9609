package dev.wharf.oci.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.IdleBoundedBody;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Docker/OCI token protocol: asks a Bearer challenge's realm for a token for some scopes.
 * Basic credentials go in a GET ({@code realm?service=…&scope=…}); a token goes as an OAuth2
 * refresh token in a POST form ({@code grant_type=refresh_token}), which is how identity tokens
 * from {@code docker login} work. Either answer field, {@code token} or {@code access_token}, is
 * accepted. A token is used until {@code expires_in} (60 s when absent) minus a margin.
 */
public final class TokenExchange {
    static final long DEFAULT_EXPIRES_IN = 60;
    private static final int MAX_ANSWER = 1 << 20;

    private final Supplier<HttpClient> http;
    private final Clock clock;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public TokenExchange(HttpClient http, Clock clock, Duration timeout) {
        this(() -> http, clock, timeout);
    }

    /** With the client built when the first token is asked for (a registry without tokens never needs it). */
    public TokenExchange(Supplier<HttpClient> http, Clock clock, Duration timeout) {
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** What happened at the token endpoint. A refusal carries the HTTP status for the caller's message. */
    public sealed interface Outcome {
        record Granted(BearerToken token) implements Outcome {
        }

        /** Not a token: {@code headers} for a {@code Retry-After}. */
        record Refused(int status, HttpHeaders headers) implements Outcome {
        }
    }

    public Outcome fetch(AuthChallenge challenge, List<String> scopes, Credentials credentials, String registry) {
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
        String service = challenge.param("service").orElse(null);
        HttpRequest request;
        if (credentials instanceof Credentials.Token token) {
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=wharf&refresh_token=")
                    .append(encode(token.token()));
            if (service != null) {
                form.append("&service=").append(encode(service));
            }
            if (!scopes.isEmpty()) {
                form.append("&scope=").append(encode(String.join(" ", scopes)));
            }
            request = HttpRequest.newBuilder(realmUri).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        } else {
            List<String> query = new ArrayList<>();
            if (service != null) {
                query.add("service=" + encode(service));
            }
            scopes.forEach(s -> query.add("scope=" + encode(s)));
            String separator = realm.contains("?") ? "&" : "?";
            URI uri = URI.create(query.isEmpty() ? realm : realm + separator + String.join("&", query));
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            if (credentials instanceof Credentials.Basic basic) {
                builder.header("Authorization", basicHeader(basic));
            }
            request = builder.build();
        }
        return send(request, registry, realmUri);
    }

    /** A token given as a password: GET with Basic credentials, for token servers that refuse the POST form. */
    public Outcome fetchWithTokenAsPassword(AuthChallenge challenge, List<String> scopes, Credentials.Token token, String registry) {
        return fetch(challenge, scopes, new Credentials.Basic("<token>", token.token()), registry);
    }

    private Outcome send(HttpRequest request, String registry, URI realm) {
        HttpResponse<InputStream> response;
        try {
            // The request's timeout ends with the headers: a token server that then goes silent must not hold the
            // scope's fetch, and every request waiting on it, for good.
            response = http.get().send(request, IdleBoundedBody.handler(timeout));
        } catch (IOException e) {
            throw new TokenServerFailure("cannot reach the token server "
                    + realm.getScheme() + "://" + realm.getAuthority() + realm.getPath() + " that registry " + registry
                    + " sends clients to (" + describe(e) + "); check that it is reachable from here", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(StorageException.Kind.UNREACHABLE, "interrupted while fetching a token for " + registry, e);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_ANSWER);
        } catch (IOException e) {
            throw new TokenServerFailure("the token server of registry " + registry
                    + " broke off its answer (" + describe(e) + ")", e);
        }
        int status = response.statusCode();
        if (status != 200) {
            return new Outcome.Refused(status, response.headers());
        }
        try {
            JsonNode answer = json.readTree(body);
            String token = answer.path("token").asText("");
            if (token.isEmpty()) {
                token = answer.path("access_token").asText("");
            }
            if (token.isEmpty()) {
                throw new IOException("no token");
            }
            long expiresIn = answer.path("expires_in").asLong(DEFAULT_EXPIRES_IN);
            if (expiresIn <= 0) {
                expiresIn = DEFAULT_EXPIRES_IN;
            }
            // Renew a little early so a token never expires between our check and the registry's.
            long margin = Math.min(30, Math.max(1, expiresIn / 10));
            Instant renewAfter = clock.instant().plusSeconds(expiresIn - margin);
            return new Outcome.Granted(new BearerToken(token, renewAfter));
        } catch (IOException | RuntimeException e) {
            throw new StorageException(StorageException.Kind.PROTOCOL, "the token server of registry " + registry
                    + " answered without a token (expected JSON with 'token' or 'access_token'); check the realm "
                    + realm.getScheme() + "://" + realm.getAuthority() + realm.getPath());
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
