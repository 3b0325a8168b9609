package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@link FaultProxy}'s port on 127.0.0.1: accepts connections and hands each to {@code accepted} on
 * the acceptor's thread; it can stop accepting (the port then refuses) and listen again on the same
 * port. The caller switches it one way or the other at a time.
 */
final class ProxyListener {
    private final int port;
    private final Consumer<Socket> accepted;
    private final AtomicInteger count = new AtomicInteger();
    private ServerSocket listener;
    private Thread acceptor;

    ProxyListener(Consumer<Socket> accepted) throws IOException {
        this.accepted = accepted;
        ServerSocket first = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        listen(first);
    }

    int port() {
        return port;
    }

    /** How many connections were accepted so far. */
    int acceptedConnections() {
        return count.get();
    }

    /**
     * Closes the listener and returns once the port refuses connections. The JDK's close returns
     * while the acceptor thread may still sit in accept() on the listening socket, which then still
     * takes connections; one connection of our own wakes it, and once it has left the socket is gone.
     */
    void stop() {
        close();
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

    void reopen() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            listen(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
    }

    void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // Closing is all that is asked.
        }
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    count.incrementAndGet();
                    accepted.accept(client);
                } catch (IOException e) {
                    return;
                }
            }
        }, "fault-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }
}
