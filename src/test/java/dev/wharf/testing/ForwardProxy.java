package dev.wharf.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy on 127.0.0.1, as corporate networks put between a server and the registries
 * it reaches: {@code CONNECT host:port} opens a tunnel (HTTPS), a request with an absolute URI
 * ({@code GET http://host:port/path}) is sent on to that host in origin form, one upstream connection
 * per request ({@code Connection: close}). It records each request line it was asked, so a test can
 * tell which requests went through it.
 */
public final class ForwardProxy implements Closeable {
    private static final int MAX_HEAD = 64 << 10;

    private final Map<String, String> hosts;
    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public ForwardProxy() throws IOException {
        this(Map.of());
    }

    /** With {@code hosts} naming the address the proxy itself connects to for some host names (a hosts file of its own). */
    public ForwardProxy(Map<String, String> hosts) throws IOException {
        this.hosts = Map.copyOf(hosts);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "forward-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every request line asked so far: {@code CONNECT 127.0.0.1:5000}, {@code GET http://127.0.0.1:5000/v2/}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "forward-proxy-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            // One request per connection: a tunnel, or one request sent on with Connection: close.
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] line = head.get(0).split(" ");
            requests.add(line[0] + " " + line[1]);
            if (line[0].equals("CONNECT")) {
                tunnel(client, line[1], out);
            } else {
                forward(line, head, in, out);
            }
        } catch (IOException e) {
            // The client or the target went away: nothing to tell anyone.
        }
    }

    private void tunnel(Socket client, String authority, OutputStream out) throws IOException {
        URI target = URI.create("tcp://" + authority);
        try (Socket upstream = new Socket(resolve(target.getHost()), target.getPort())) {
            open.add(upstream);
            out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            pipeBothWays(client, upstream);
        }
    }

    /** Sends one absolute-URI request on in origin form and its answer back; the client's connection ends with it. */
    private void forward(String[] line, List<String> head, InputStream in, OutputStream out) throws IOException {
        URI target = URI.create(line[1]);
        String path = target.getRawPath() + (target.getRawQuery() != null ? "?" + target.getRawQuery() : "");
        StringBuilder request = new StringBuilder(line[0]).append(' ').append(path.isEmpty() ? "/" : path).append(' ').append(line[2]).append("\r\n");
        long length = 0;
        for (String header : head.subList(1, head.size())) {
            String name = header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT);
            if (name.startsWith("proxy-") || name.equals("connection")) {
                continue;
            }
            if (name.equals("content-length")) {
                length = Long.parseLong(header.substring(header.indexOf(':') + 1).trim());
            }
            if (name.equals("transfer-encoding")) {
                throw new IOException("chunked request bodies are not proxied by this test proxy");
            }
            request.append(header).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        int port = target.getPort() >= 0 ? target.getPort() : 80;
        try (Socket upstream = new Socket(resolve(target.getHost()), port)) {
            open.add(upstream);
            OutputStream up = upstream.getOutputStream();
            up.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            copy(in, up, length);
            up.flush();
            // The registry closes after its answer (Connection: close), so the client's connection
            // ends with it: the answer's framing is the registry's, passed on as it came.
            upstream.getInputStream().transferTo(out);
            out.flush();
        }
    }

    private String resolve(String host) {
        return hosts.getOrDefault(host, host);
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 << 10];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the client's request body ended early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void pipeBothWays(Socket a, Socket b) throws IOException {
        Thread back = new Thread(() -> {
            try {
                b.getInputStream().transferTo(a.getOutputStream());
            } catch (IOException e) {
                // One side closed.
            } finally {
                closeQuietly(a);
            }
        }, "forward-proxy-tunnel");
        back.setDaemon(true);
        back.start();
        try {
            a.getInputStream().transferTo(b.getOutputStream());
        } finally {
            closeQuietly(b);
        }
    }

    /** The request line and headers, without the blank line; empty at the end of the stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (bytes.size() == 0) {
                    return List.of();
                }
                throw new IOException("the request head ended early");
            }
            bytes.write(b);
            if (bytes.size() > MAX_HEAD) {
                throw new IOException("request head too long");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        List<String> lines = new ArrayList<>(List.of(bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n")));
        lines.removeIf(String::isEmpty);
        return lines;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Already closed.
        }
        open.forEach(ForwardProxy::closeQuietly);
    }
}
