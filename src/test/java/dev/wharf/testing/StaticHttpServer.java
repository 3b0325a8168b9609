package dev.wharf.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on 127.0.0.1 answering GETs from a map of paths to contents (JSON or bytes), and
 * recording the paths asked for. Tests of HTTP clients use it as the far side.
 */
public final class StaticHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    private StaticHttpServer(HttpServer server) {
        this.server = server;
    }

    public static StaticHttpServer start() {
        try {
            return serve(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Over HTTPS, presenting {@code certificate} (a private CA's, say). */
    public static StaticHttpServer startTls(TestCertificates.SelfSigned certificate) {
        try {
            com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(certificate.serverContext()));
            return serve(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StaticHttpServer serve(HttpServer server) {
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        StaticHttpServer s = new StaticHttpServer(server);
        server.createContext("/", s::handle);
        server.start();
        return s;
    }

    public URI base() {
        return URI.create((server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort());
    }

    public StaticHttpServer put(String path, String content) {
        return put(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public StaticHttpServer put(String path, byte[] content) {
        files.put(path, content.clone());
        return this;
    }

    /** Holds answers for {@code path} until the returned latch is counted down. */
    public CountDownLatch gate(String path) {
        CountDownLatch latch = new CountDownLatch(1);
        gates.put(path, latch);
        return latch;
    }

    public StaticHttpServer remove(String path) {
        files.remove(path);
        return this;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        CountDownLatch gate = gates.get(path);
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = files.get(path);
        try (exchange) {
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", path.endsWith(".json") || !path.contains(".")
                    ? "application/json" : "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
