package dev.wharf.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A server on 127.0.0.1 that answers every request with one status, Content-Type and body, after
 * reading the request's body: another server than Wharf (a WebDAV or catch-all server, a proxy's
 * error page) as a publish client meets it.
 */
public final class CannedAnswer implements AutoCloseable {
    private final HttpServer server;

    private CannedAnswer(HttpServer server) {
        this.server = server;
    }

    public static CannedAnswer start(int status, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                    exchange.getResponseHeaders().set("Content-Type", type);
                    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            });
            server.start();
            return new CannedAnswer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
