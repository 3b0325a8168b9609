package dev.wharf.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-only HTTP front before a real docker-registry that enforces a hosted registry's naming rule
 * and refuses other names the way that registry answers; allowed requests pass through unchanged
 * (with {@code Location} headers pointed back at the front).
 * <ul>
 *   <li>{@link #dockerHub}: only {@code namespace/name}; deeper names get 400 {@code NAME_INVALID}
 *       (or 403 {@code DENIED}, the other answer Docker Hub gives), tag lists come in pages of 100.</li>
 *   <li>{@link #gitLab}: the project path and at most two levels below it; anything else gets 401
 *       with {@code error="insufficient_scope"} after a token was granted, as GitLab's token
 *       service and registry answer. Repositories of other projects: 404 {@code NAME_UNKNOWN} on the
 *       first blob upload (the project does not exist). Manifests whose {@code artifactType} or config media
 *       type is not on GitLab's list get 400 {@code MANIFEST_INVALID} "unknown media type".</li>
 * </ul>
 */
public final class RegistryFront implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("^/v2/(.+?)/(tags/list|manifests/[^/]+|blobs/uploads/.*|blobs/[^/]+)$");
    private static final Set<String> HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade",
            "expect", "keep-alive");

    /** How a front judges and refuses a repository name. */
    public interface Rule {
        /** Null when allowed, else the refusal. */
        Refusal judge(String repository, String method, String frontUrl);

        /** Page size forced onto tag lists, 0 for none. */
        default int tagPage() {
            return 0;
        }

        /** Null when a pushed manifest (its bytes) is taken, else the refusal. */
        default Refusal judgeManifest(byte[] manifest) {
            return null;
        }
    }

    public record Refusal(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String upstream;
    private final Rule rule;
    private final AtomicInteger manifestsRefused = new AtomicInteger();

    private RegistryFront(String upstream, Rule rule) {
        this.upstream = upstream;
        this.rule = rule;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Docker Hub's rule; {@code denied}: answer 403 DENIED instead of 400 NAME_INVALID. */
    public static RegistryFront dockerHub(String upstream, boolean denied) {
        return new RegistryFront(upstream, new Rule() {
            @Override
            public Refusal judge(String repository, String method, String frontUrl) {
                if (repository.split("/").length == 2) {
                    return null;
                }
                return denied
                        ? error(403, "DENIED", "requested access to the resource is denied", Map.of())
                        : error(400, "NAME_INVALID", "invalid repository name", Map.of());
            }

            @Override
            public int tagPage() {
                return 100;
            }
        });
    }

    /**
     * GitLab's rules for the project {@code project} (group/project): its naming rule, and its list of
     * media types for a manifest's {@code artifactType} and config ({@link #gitLabMediaTypes}).
     */
    public static RegistryFront gitLab(String upstream, String project) {
        return new RegistryFront(upstream, new Rule() {
            @Override
            public Refusal judge(String repository, String method, String frontUrl) {
                if (!repository.equals(project) && !repository.startsWith(project + "/")) {
                    return method.equals("POST") ? error(404, "NAME_UNKNOWN", "repository name not known to registry", Map.of()) : null;
                }
                int below = repository.equals(project) ? 0 : repository.substring(project.length() + 1).split("/").length;
                if (below <= 2) {
                    return null;
                }
                String challenge = "Bearer realm=\"" + frontUrl + "/jwt/auth\",service=\"container_registry\",scope=\"repository:"
                        + repository + ":pull,push\",error=\"insufficient_scope\"";
                return error(401, "UNAUTHORIZED", "authentication required", Map.of("WWW-Authenticate", challenge));
            }

            @Override
            public Refusal judgeManifest(byte[] manifest) {
                return unknownMediaType(manifest, false);
            }
        });
    }

    /**
     * GitLab's check of media types alone (its registry with the metadata database, as on GitLab.com):
     * a manifest whose {@code artifactType} or config media type is not on its list gets 400
     * {@code MANIFEST_INVALID} with the detail {@code unknown media type: …}; layers of any media type
     * pass, as tried against GitLab.com (docs/registries.md). {@code layersToo}: a stricter list that
     * also judges the layers' media types.
     */
    public static RegistryFront gitLabMediaTypes(String upstream, boolean layersToo) {
        return new RegistryFront(upstream, new Rule() {
            @Override
            public Refusal judge(String repository, String method, String frontUrl) {
                return null;
            }

            @Override
            public Refusal judgeManifest(byte[] manifest) {
                return unknownMediaType(manifest, layersToo);
            }
        });
    }

    /** A few of the media types on GitLab's list: images, the empty config, Helm's config, cosign's signatures. */
    private static final Set<String> GITLAB_KNOWN = Set.of("application/vnd.oci.image.config.v1+json",
            "application/vnd.docker.container.image.v1+json", "application/vnd.oci.empty.v1+json", "application/vnd.cncf.helm.config.v1+json",
            "application/vnd.dev.cosign.artifact.sig.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar");

    private static Refusal unknownMediaType(byte[] manifest, boolean layersToo) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(manifest);
        } catch (IOException e) {
            return new Refusal(400, Map.of(), "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\"}]}\n");
        }
        List<String> types = new ArrayList<>();
        if (root.hasNonNull("artifactType")) {
            types.add(root.get("artifactType").asText());
        }
        types.add(root.path("config").path("mediaType").asText());
        if (layersToo) {
            root.path("layers").forEach(layer -> types.add(layer.path("mediaType").asText()));
        }
        for (String type : types) {
            if (!GITLAB_KNOWN.contains(type)) {
                return new Refusal(400, Map.of(), "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\","
                        + "\"detail\":\"unknown media type: " + type + "\"}]}\n");
            }
        }
        return null;
    }

    private static Refusal error(int status, String code, String message, Map<String, String> headers) {
        return new Refusal(status, headers, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":null}]}\n");
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** host:port, for --storage-oci-registry with --storage-oci-insecure. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            if (path.equals("/jwt/auth")) {
                send(exchange, new Refusal(200, Map.of(), "{\"token\":\"front-token\",\"expires_in\":300}"), method);
                return;
            }
            Matcher m = NAME.matcher(path);
            if (m.matches()) {
                Refusal refusal = rule.judge(m.group(1), method, url());
                if (refusal != null) {
                    send(exchange, refusal, method);
                    return;
                }
            }
            byte[] manifest = null;
            if (method.equals("PUT") && path.contains("/manifests/")) {
                manifest = exchange.getRequestBody().readAllBytes();
                Refusal refusal = rule.judgeManifest(manifest);
                if (refusal != null) {
                    manifestsRefused.incrementAndGet();
                    send(exchange, refusal, method);
                    return;
                }
            }
            String query = uri.getRawQuery();
            if (rule.tagPage() > 0 && path.endsWith("/tags/list") && (query == null || !query.contains("n="))) {
                query = (query == null ? "" : query + "&") + "n=" + rule.tagPage();
            }
            forward(exchange, method, path + (query == null ? "" : "?" + query), manifest);
        }
    }

    /** How many manifest PUTs the front refused for their media types. */
    public int manifestsRefused() {
        return manifestsRefused.get();
    }

    private void forward(HttpExchange exchange, String method, String pathAndQuery, byte[] readBody) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + pathAndQuery));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        InputStream body = exchange.getRequestBody();
        request.method(method, method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody()
                : readBody != null ? HttpRequest.BodyPublishers.ofByteArray(readBody) : HttpRequest.BodyPublishers.ofInputStream(() -> body));
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        answer.headers().map().forEach((name, values) -> {
            if (!HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v.replace(upstream, url())));
            }
        });
        long length = answer.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean empty = method.equals("HEAD") || answer.statusCode() == 204 || length == 0;
        if (method.equals("HEAD") && length >= 0) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
        }
        exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : length > 0 ? length : 0);
        try (InputStream in = answer.body(); OutputStream out = exchange.getResponseBody()) {
            if (!empty) {
                in.transferTo(out);
            }
        }
    }

    private static void send(HttpExchange exchange, Refusal refusal, String method) throws IOException {
        byte[] bytes = refusal.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        refusal.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(refusal.status(), head ? -1 : bytes.length);
        if (!head) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
