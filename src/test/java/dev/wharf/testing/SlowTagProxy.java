package dev.wharf.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on 127.0.0.1 in front of a real registry that makes it answer tag checks slowly:
 * a {@code HEAD /v2/<name>/manifests/<tag>} is forwarded at once and its answer held back for a
 * set time, as a slow or distant registry would (the check is decided early, the client learns it
 * late: the window in which concurrent publishes of one version used to all "win").
 *
 * <p>It can also play a registry's tag-immutability refusal: while {@link #refuseManifestPuts} is
 * set, tag checks answer 404 (the tag looks absent, as it did to a writer that lost the race) and a
 * manifest PUT by tag gets the canned answer instead of reaching the registry. Every request line
 * is recorded. The registry's upload {@code Location}s point back at the proxy
 * ({@code X-Forwarded-Host}), so every request of a push passes through it.
 */
public final class SlowTagProxy implements AutoCloseable {
    private static final Pattern TAG_MANIFEST = Pattern.compile("/v2/.+/manifests/(?!sha256:)[^/]+");
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "keep-alive");

    /** A registry's answer to replay. */
    public record Answer(int status, String contentType, String body) {
    }

    private final URI upstream;
    private final Duration tagCheckDelay;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Answer manifestPutAnswer;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile Duration gateLimit = Duration.ZERO;

    public SlowTagProxy(String upstreamHost, Duration tagCheckDelay) {
        this.upstream = URI.create("http://" + upstreamHost);
        this.tagCheckDelay = tagCheckDelay;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the proxy's port", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** "127.0.0.1:port" (plain HTTP: give Wharf the insecure flag with it, or use {@link #url()}). */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** "http://127.0.0.1:port", to give Wharf as the registry. */
    public String url() {
        return "http://" + host();
    }

    /**
     * Holds the answers to the first {@code checks} tag checks until all of them have arrived (or
     * {@code atMost} passed): writers started at slightly different times then all learn "absent"
     * together, as they would from a registry slower than their start-up spread.
     */
    public void gateFirstTagChecks(int checks, Duration atMost) {
        gateLimit = atMost;
        gate = new CountDownLatch(checks);
    }

    /** Plays a tag-immutability refusal (null: forward everything again). */
    public void refuseManifestPuts(Answer answer) {
        manifestPutAnswer = answer;
    }

    /** Every request line so far, "METHOD /path?query". */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            requests.add(method + " " + exchange.getRequestURI());
            boolean tagManifest = TAG_MANIFEST.matcher(path).matches();
            Answer refusal = manifestPutAnswer;
            if (refusal != null && tagManifest && method.equals("HEAD")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (refusal != null && tagManifest && method.equals("PUT")) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                byte[] body = refusal.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", refusal.contentType());
                exchange.sendResponseHeaders(refusal.status(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            HttpResponse<InputStream> answer = forward(exchange, method);
            if (tagManifest && method.equals("HEAD")) {
                CountDownLatch held = gate;
                held.countDown();
                held.await(gateLimit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                Thread.sleep(tagCheckDelay.toMillis());
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            long length = answer.headers().firstValueAsLong("Content-Length").orElse(0);
            boolean noBody = method.equals("HEAD") || answer.statusCode() == 204 || answer.statusCode() == 304 || length == 0
                    && answer.headers().firstValue("Transfer-Encoding").isEmpty();
            exchange.sendResponseHeaders(answer.statusCode(), noBody ? -1 : length);
            try (InputStream in = answer.body()) {
                if (noBody) {
                    in.transferTo(OutputStream.nullOutputStream());
                } else {
                    in.transferTo(exchange.getResponseBody());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<InputStream> forward(HttpExchange exchange, String method) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        request.header("X-Forwarded-Host", host());
        request.header("X-Forwarded-Proto", "http");
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        HttpRequest.BodyPublisher body = length == null || length.equals("0")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody),
                        Long.parseLong(length));
        request.method(method, body);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
