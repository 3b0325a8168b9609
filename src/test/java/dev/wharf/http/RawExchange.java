package dev.wharf.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request written as bytes on a fresh connection, for what the JDK's client cannot send
 * ({@code OPTIONS *}, a CONNECT, an empty header, a body announced and not sent): the answer's head,
 * its body by its Content-Length, and whether the server then closed the connection; or the answer
 * to a second request on the connection the first one kept.
 */
record RawExchange(String statusLine, Map<String, String> headers, String body, boolean closedAfter) {
    /**
     * How long to wait for the server to close after its answer before taking the connection as
     * kept open; far below the idle timeout the tests give the server, which would close it too.
     */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    static RawExchange send(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            write(socket, request);
            return answer(socket);
        }
    }

    /**
     * {@code first}, and once its answer is in, {@code second} on the same connection: the second
     * request's answer, or an IOException saying the server closed before it.
     */
    static RawExchange sendTwice(int port, String first, String second) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            write(socket, first);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            in.readNBytes(Integer.parseInt(headers(head.split("\r\n")).getOrDefault("content-length", "0")));
            write(socket, second);
            return answer(socket);
        }
    }

    private static void write(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static RawExchange answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        String[] lines = readHead(in).split("\r\n");
        Map<String, String> headers = headers(lines);
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        socket.setSoTimeout((int) CLOSE_WAIT.toMillis());
        boolean closed;
        try {
            closed = in.read() < 0;
        } catch (SocketTimeoutException open) {
            closed = false;
        }
        return new RawExchange(lines[0], headers, new String(body, StandardCharsets.UTF_8), closed);
    }

    private static Map<String, String> headers(String[] lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return headers;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed before a whole answer: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
