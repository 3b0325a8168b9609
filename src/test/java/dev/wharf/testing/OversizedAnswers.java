package dev.wharf.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server on 127.0.0.1 that answers every request with {@code status} and a JSON-looking body of
 * {@code size} bytes, written a piece at a time and counted, never held whole: for clients that must
 * refuse an answer far larger than the one they expect, without reading it to its end.
 */
public final class OversizedAnswers implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong sent = new AtomicLong();

    private OversizedAnswers(HttpServer server) {
        this.server = server;
    }

    public static OversizedAnswers start(int status, long size) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OversizedAnswers answers = new OversizedAnswers(server);
            server.createContext("/", exchange -> answers.answer(exchange, status, size));
            server.start();
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The bytes of bodies the clients took (into their sockets, at least) so far. */
    public long sent() {
        return sent.get();
    }

    private void answer(HttpExchange exchange, int status, long size) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, size);
        byte[] piece = ("{\"x\":\"" + " ".repeat(64 * 1024 - 9) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = exchange.getResponseBody()) {
            for (long left = size; left > 0; left -= piece.length) {
                int length = (int) Math.min(piece.length, left);
                out.write(piece, 0, length);
                sent.addAndGet(length);
            }
        } catch (IOException cut) {
            // The client stopped reading: what a test of it wants.
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
