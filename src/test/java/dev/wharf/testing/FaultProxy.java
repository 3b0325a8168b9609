package dev.wharf.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real socket proxy between Wharf and a real registry that breaks the traffic on demand, for
 * fault tests. It speaks just enough HTTP/1.1 to see each request (one per connection: it asks the
 * registry to close after each answer) and to alter answers; everything it does not alter passes
 * byte for byte. The fault is switched at run time ({@link #inject}, {@link #heal}) so a test can
 * watch service come back; a stalled connection is released (closed) when the fault ends.
 *
 * <p>{@link Fault#REFUSE} means the registry is down from the moment {@link #inject} returns: the
 * listener is closed and its acceptor has stopped (new connections are refused), the connections
 * the proxy accepted before are closed, and a request read on one while the fault is in force is
 * dropped, never forwarded. Closing the listener alone left a window: a connection made a few
 * milliseconds later was still accepted and its request went on to the registry, which answered
 * as if nothing were wrong.
 */
public final class FaultProxy implements Closeable {
    /** What the proxy does to the requests a fault applies to. */
    public enum Fault {
        /** Pass everything through. */
        NONE,
        /** Nothing listens on the port: connections are refused, and open ones are closed unanswered. */
        REFUSE,
        /** Accept, read the request, never answer. */
        STALL,
        /** Send the answer's headers and half of its body, then nothing more. */
        STALL_MID_BODY,
        /** Send the headers and half of the body, then reset the connection (RST). */
        RESET_MID_BODY,
        /** Send the headers (with the full Content-Length) and half of the body, then close cleanly. */
        TRUNCATE_BODY,
        /**
         * Send the headers, then the body one byte every {@link #TRICKLE_PACE}: steady enough that no idle timeout
         * fires, slow enough that a small answer takes seconds.
         */
        TRICKLE_BODY,
        /** Send the full answer with its body's bytes changed (same length). */
        WRONG_BYTES,
        /**
         * Send the full answer and {@link #EXTRA_BYTES} bytes more, its Content-Length grown to match: a registry whose
         * blob is longer than its manifest says.
         */
        LONGER_BODY,
        /** Answer 200 with a body that is not an OCI manifest. */
        MALFORMED_MANIFEST,
        /** Answer 500 with an OCI error body. */
        STATUS_500,
        /** Answer 502 with an OCI error body. */
        STATUS_502,
        /** Answer 503 with an OCI error body. */
        STATUS_503,
        /** Answer 504 with an OCI error body. */
        STATUS_504,
        /** Answer 429 TOOMANYREQUESTS with {@code Retry-After: 1}. */
        STATUS_429,
        /** Answer 404 with a plain-text body, as registries without an optional endpoint (the catalog) do. */
        STATUS_404,
        /** Answer 405 with a JSON error body, as a server that takes the path with other methods only does. */
        STATUS_405,
        /** Answer 200 with an HTML page, as a sign-in portal or a catch-all web server in front of the real one does. */
        HTML_200,
        /** Answer 200 with a JSON object of another API (a health page's), no answer the client asked for. */
        OTHER_JSON_200
    }

    /** The request line of one proxied request. */
    public record Request(String method, String path) {
        public boolean isBlobRead() {
            return method.equals("GET") && path.contains("/blobs/sha256:");
        }

        public boolean isManifestRead() {
            return method.equals("GET") && path.contains("/manifests/");
        }

        public boolean isPing() {
            return path.equals("/v2/");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** How many bytes a {@link Fault#LONGER_BODY} adds. */
    public static final int EXTRA_BYTES = 100;

    /** The pause between two bytes of a {@link Fault#TRICKLE_BODY}. */
    public static final java.time.Duration TRICKLE_PACE = java.time.Duration.ofMillis(250);

    private final String upstreamHost;
    private final int upstreamPort;
    private final int port;
    private final List<Request> seen = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object lock = new Object();
    private Fault fault = Fault.NONE;
    private Predicate<Request> applies = r -> true;
    private ServerSocket listener;
    private Thread acceptor;
    private boolean closed;

    private FaultProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        ServerSocket first = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        listen(first);
    }

    /** A proxy on a free 127.0.0.1 port in front of {@code upstream} ("host:port"). */
    public static FaultProxy before(String upstream) {
        int colon = upstream.lastIndexOf(':');
        try {
            return new FaultProxy(upstream.substring(0, colon), Integer.parseInt(upstream.substring(colon + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault proxy", e);
        }
    }

    /** "127.0.0.1:PORT", to give Wharf as its registry. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Every request seen so far (refused connections are not seen). */
    public List<Request> requests() {
        return List.copyOf(seen);
    }

    /** How many connections the proxy has accepted so far. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Applies {@code fault} to every request from now on. */
    public void inject(Fault fault) {
        inject(fault, r -> true);
    }

    /** Applies {@code fault} to the requests {@code applies} selects; the others pass. */
    public void inject(Fault fault, Predicate<Request> applies) {
        synchronized (lock) {
            boolean wasRefusing = this.fault == Fault.REFUSE;
            this.fault = fault;
            this.applies = applies;
            if (fault == Fault.REFUSE && !wasRefusing) {
                stopListening();
                for (Socket client : clients) {
                    closeQuietly(client);
                }
            } else if (fault != Fault.REFUSE && wasRefusing) {
                reopen();
            }
            lock.notifyAll();
        }
    }

    /** Ends the fault: everything passes again, stalled connections are closed. */
    public void heal() {
        inject(Fault.NONE);
    }

    private boolean refusing() {
        synchronized (lock) {
            return fault == Fault.REFUSE;
        }
    }

    private Fault faultFor(Request request) {
        synchronized (lock) {
            return applies.test(request) ? fault : Fault.NONE;
        }
    }

    /** Holds the calling connection while {@code stalled} is the fault in force. */
    private void holdWhile(Fault stalled) {
        synchronized (lock) {
            while (fault == stalled && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Closes the listener and returns once the port refuses connections. The JDK's close returns
     * while the acceptor thread may still sit in accept() on the listening socket, which then still
     * takes connections; one connection of our own wakes it, and once it has left the socket is gone.
     */
    private void stopListening() {
        closeQuietly(listener);
        try (Socket poke = new Socket()) {
            poke.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        } catch (IOException refused) {
            // Already gone.
        }
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acceptor.isAlive()) {
            throw new IllegalStateException("the fault proxy's acceptor did not stop");
        }
    }

    private void reopen() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            listen(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    accepted.incrementAndGet();
                    open.add(client);
                    clients.add(client);
                    Thread worker = new Thread(() -> serve(client), "fault-proxy-" + port + "-conn");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fault-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            Head head = Head.read(in);
            if (head == null) {
                return;
            }
            String[] line = head.firstLine().split(" ");
            Request request = new Request(line[0], line[1]);
            if (refusing()) {
                // Down: the request goes nowhere and the connection closes unanswered.
                return;
            }
            seen.add(request);
            Fault f = faultFor(request);
            switch (f) {
                case STALL -> {
                    holdWhile(Fault.STALL);
                    return;
                }
                case STATUS_404 -> {
                    answer(out, "404 Not Found", Map.of(), "404 page not found");
                    return;
                }
                case STATUS_405 -> {
                    answer(out, "405 Method Not Allowed", Map.of("Allow", "PUT"), "{\"errors\":[\"injected fault\"]}");
                    return;
                }
                case HTML_200 -> {
                    answer(out, "200 OK", Map.of("Content-Type", "text/html"), "<html><body>Sign in to continue</body></html>");
                    return;
                }
                case OTHER_JSON_200 -> {
                    answer(out, "200 OK", Map.of(), "{\"status\":\"ok\"}");
                    return;
                }
                case STATUS_500 -> {
                    answer(out, "500 Internal Server Error", Map.of(), "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"injected fault\"}]}");
                    return;
                }
                case STATUS_502 -> {
                    answer(out, "502 Bad Gateway", Map.of(), "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"injected fault\"}]}");
                    return;
                }
                case STATUS_504 -> {
                    answer(out, "504 Gateway Timeout", Map.of(), "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"injected fault\"}]}");
                    return;
                }
                case STATUS_503 -> {
                    answer(out, "503 Service Unavailable", Map.of(), "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected fault\"}]}");
                    return;
                }
                case STATUS_429 -> {
                    answer(out, "429 Too Many Requests", Map.of("Retry-After", "1"),
                            "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"injected fault\"}]}");
                    return;
                }
                case MALFORMED_MANIFEST -> {
                    if (request.isManifestRead()) {
                        answer(out, "200 OK", Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"),
                                "{\"schemaVersion\":2,\"layers\":[{\"digest\":\"not-a-digest\"");
                        return;
                    }
                }
                default -> {
                }
            }
            try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
                open.add(upstream);
                OutputStream up = upstream.getOutputStream();
                up.write(head.withConnectionClose());
                relayBody(head, in, up);
                up.flush();
                InputStream down = upstream.getInputStream();
                Head answerHead = Head.read(down);
                if (answerHead == null) {
                    return;
                }
                if (f == Fault.LONGER_BODY && answerHead.firstLine().contains(" 200 ") && answerHead.contentLength() >= 0) {
                    out.write(answerHead.withContentLength(answerHead.contentLength() + EXTRA_BYTES));
                    copy(down, out, answerHead.contentLength(), false);
                    out.write(new byte[EXTRA_BYTES]);
                    out.flush();
                    return;
                }
                out.write(answerHead.raw());
                if (f == Fault.TRICKLE_BODY && answerHead.contentLength() > 0) {
                    trickle(down, out, answerHead.contentLength());
                    return;
                }
                boolean alter = answerHead.firstLine().contains(" 200 ") && answerHead.contentLength() > 1
                        && (f == Fault.STALL_MID_BODY || f == Fault.RESET_MID_BODY || f == Fault.TRUNCATE_BODY || f == Fault.WRONG_BYTES);
                if (!alter) {
                    down.transferTo(out);
                    return;
                }
                long half = answerHead.contentLength() / 2;
                copy(down, out, half, false);
                out.flush();
                switch (f) {
                    case STALL_MID_BODY -> holdWhile(Fault.STALL_MID_BODY);
                    case RESET_MID_BODY -> client.setSoLinger(true, 0);
                    case WRONG_BYTES -> copy(down, out, answerHead.contentLength() - half, true);
                    default -> {
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            // The peer went away: nothing to relay.
        } finally {
            open.remove(client);
            clients.remove(client);
        }
    }

    /** Passes {@code count} bytes on one at a time, {@link #TRICKLE_PACE} apart while the fault lasts, then the rest at once. */
    private void trickle(InputStream in, OutputStream out, long count) throws IOException {
        for (long left = count; left > 0; left--) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            out.write(b);
            out.flush();
            synchronized (lock) {
                if (fault == Fault.TRICKLE_BODY && !closed) {
                    try {
                        lock.wait(TRICKLE_PACE.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static void answer(OutputStream out, String status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + "\r\n");
        Map<String, String> all = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
        all.putAll(headers);
        all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static void relayBody(Head head, InputStream in, OutputStream up) throws IOException {
        if (head.header("transfer-encoding") != null) {
            throw new IOException("the fault proxy relays only Content-Length request bodies");
        }
        long length = head.contentLength();
        if (length > 0) {
            copy(in, up, length, false);
        }
    }

    private static void copy(InputStream in, OutputStream out, long count, boolean flip) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the upstream ended early");
            }
            if (flip) {
                for (int i = 0; i < n; i++) {
                    buffer[i] = (byte) ~buffer[i];
                }
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // Closing is all that is asked.
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            closeQuietly(listener);
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    /** A request or answer head: the first line and the headers, as read. */
    private record Head(byte[] raw, String firstLine, Map<String, String> headers) {
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int b;
                try {
                    b = in.read();
                } catch (SocketException e) {
                    return null;
                }
                if (b < 0) {
                    return null;
                }
                bytes.write(b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : b == '\r' ? 1 : 0;
                if (bytes.size() > 64 << 10) {
                    throw new IOException("head too large");
                }
            }
            byte[] raw = bytes.toByteArray();
            String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            return new Head(raw, lines[0], headers);
        }

        String header(String name) {
            return headers.get(name);
        }

        long contentLength() {
            String v = headers.get("content-length");
            return v == null ? -1 : Long.parseLong(v);
        }

        /** The head again, its Content-Length replaced by {@code length}. */
        byte[] withContentLength(long length) {
            List<String> lines = new ArrayList<>(List.of(new String(raw, StandardCharsets.ISO_8859_1).split("\r\n")));
            lines.removeIf(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"));
            lines.add("Content-Length: " + length);
            return (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }

        /**
         * The head again, asking the registry to close the connection after its answer. The headers the
         * client's Connection named go with it, as a proxy drops them: the JDK client's {@code Upgrade: h2c}
         * left without its {@code Connection: Upgrade} made Jetty refuse a PUT (400).
         */
        byte[] withConnectionClose() {
            List<String> hopByHop = new ArrayList<>(List.of("connection"));
            String connection = header("connection");
            if (connection != null) {
                for (String name : connection.split(",")) {
                    hopByHop.add(name.trim().toLowerCase(Locale.ROOT));
                }
            }
            List<String> lines = new ArrayList<>(List.of(new String(raw, StandardCharsets.ISO_8859_1).split("\r\n")));
            lines.removeIf(l -> l.indexOf(':') > 0 && hopByHop.contains(l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT)));
            lines.add("Connection: close");
            return (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
