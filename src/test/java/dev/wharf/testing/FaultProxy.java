package dev.wharf.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>The faults live by kind: {@link FaultSwitch} holds the one in force, {@link CannedFaults}
 * answers in the registry's stead, {@link BodyFaults} breaks the registry's answer on its way back;
 * a refused or stalled connection is handled here, which switches the port ({@link ProxyListener}).
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
        /** Send the answer's headers and half of its body, then nothing more (a 200's or a range's 206). */
        STALL_MID_BODY,
        /** Send the headers and half of the body, then reset the connection (RST) (a 200's or a range's 206). */
        RESET_MID_BODY,
        /** Send the headers (with the full Content-Length) and half of the body, then close cleanly (a 200's or a range's 206). */
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
        /**
         * Send a range's 206 with its Content-Range one byte earlier than the part the body holds (a server off by
         * one); every other answer passes.
         */
        SHIFTED_CONTENT_RANGE,
        /**
         * Send a range's 206 as from another version of the file (changed between two requests, by an upstream
         * that ignores If-Range): its ETag and Last-Modified, those it has, changed, and its body's bytes inverted
         * (same length); every other answer passes.
         */
        CHANGED_FILE_RANGE,
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

    /** The request line of one proxied request, and its headers (names in lower case). */
    public record Request(String method, String path, Map<String, String> headers) {
        public Request(String method, String path) {
            this(method, path, Map.of());
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

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
    private final FaultSwitch faults = new FaultSwitch();
    private final BodyFaults bodyFaults = new BodyFaults(faults);
    /** Held while the listener is switched, so two injects never close or open it at once. */
    private final Object listening = new Object();
    private final ProxyListener listener;

    private FaultProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.listener = new ProxyListener(this::accepted);
        this.port = listener.port();
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
        return listener.acceptedConnections();
    }

    /** Applies {@code fault} to every request from now on. */
    public void inject(Fault fault) {
        inject(fault, r -> true);
    }

    /** Applies {@code fault} to the requests {@code applies} selects; the others pass. */
    public void inject(Fault fault, Predicate<Request> applies) {
        synchronized (listening) {
            boolean wasRefusing = faults.set(fault, applies) == Fault.REFUSE;
            if (fault == Fault.REFUSE && !wasRefusing) {
                listener.stop();
                for (Socket client : clients) {
                    closeQuietly(client);
                }
            } else if (fault != Fault.REFUSE && wasRefusing) {
                listener.reopen();
            }
        }
    }

    /** Ends the fault: everything passes again, stalled connections are closed. */
    public void heal() {
        inject(Fault.NONE);
    }

    private void accepted(Socket client) {
        open.add(client);
        clients.add(client);
        Thread worker = new Thread(() -> serve(client), "fault-proxy-" + client.getLocalPort() + "-conn");
        worker.setDaemon(true);
        worker.start();
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            ProxyHead head = ProxyHead.read(in);
            if (head == null) {
                return;
            }
            String[] line = head.firstLine().split(" ");
            Request request = new Request(line[0], line[1], Map.copyOf(head.headers()));
            if (faults.refusing()) {
                // Down: the request goes nowhere and the connection closes unanswered.
                return;
            }
            seen.add(request);
            Fault f = faults.faultFor(request);
            if (f == Fault.STALL) {
                faults.holdWhile(Fault.STALL);
                return;
            }
            if (CannedFaults.answered(f, request, out)) {
                return;
            }
            try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
                open.add(upstream);
                OutputStream up = upstream.getOutputStream();
                up.write(head.withConnectionClose());
                relayBody(head, in, up);
                up.flush();
                InputStream down = upstream.getInputStream();
                ProxyHead answerHead = ProxyHead.read(down);
                if (answerHead == null) {
                    return;
                }
                bodyFaults.relay(f, answerHead, down, out, client);
            }
        } catch (IOException e) {
            // The peer went away: nothing to relay.
        } finally {
            open.remove(client);
            clients.remove(client);
        }
    }

    private static void relayBody(ProxyHead head, InputStream in, OutputStream up) throws IOException {
        if (head.header("transfer-encoding") != null) {
            throw new IOException("the fault proxy relays only Content-Length request bodies");
        }
        long length = head.contentLength();
        if (length > 0) {
            BodyFaults.copy(in, up, length, false);
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
        faults.close();
        synchronized (listening) {
            listener.close();
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }
}
