package dev.wharf.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that ask for a large answer and stop reading it once it has begun: each with a receive
 * buffer of a few KB, so that the server's writes stall almost at once. Closing them closes all.
 */
public final class SlowReaders implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /**
     * Opens {@code count} connections to {@code address}, sends {@code GET path} on each, and reads
     * each answer's status line and headers, no more: when this returns, the server has begun all
     * {@code count} answers. Fails when an answer does not begin within 5 s or is not a 200.
     */
    public static SlowReaders start(InetSocketAddress address, String path, int count) throws IOException {
        return start(address, path, count, Duration.ofSeconds(5));
    }

    /** As {@link #start(InetSocketAddress, String, int)}, with each answer given {@code begin} to begin. */
    public static SlowReaders start(InetSocketAddress address, String path, int count, Duration begin) throws IOException {
        SlowReaders readers = new SlowReaders();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                readers.sockets.add(socket);
                socket.setReceiveBufferSize(2048);
                socket.connect(address, 5000);
                socket.setSoTimeout(Math.toIntExact(begin.toMillis()));
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            for (Socket socket : readers.sockets) {
                String head = readHead(socket);
                if (!head.startsWith("HTTP/1.1 200")) {
                    throw new IOException("not a 200 answer: " + head);
                }
            }
            return readers;
        } catch (IOException | RuntimeException e) {
            readers.close();
            throw e;
        }
    }

    private static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the answer ended inside its headers: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
