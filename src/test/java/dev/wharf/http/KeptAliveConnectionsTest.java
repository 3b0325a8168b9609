package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a connection that stays open costs the server's heap. Jetty's per-connection cache of parsed
 * header fields, built on a connection's second request, was about 100 KB each: the server's
 * 10 000 connections could hold a gigabyte, and a burst of new connections forced full collections
 * of the launcher's small heap (bench/RESULTS.md, session 19).
 */
class KeptAliveConnectionsTest {
    private static final int CONNECTIONS = 200;
    private static final String REQUEST = "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Terraform/1.9.8\r\n"
            + "Accept: application/json\r\nAccept-Encoding: gzip\r\nX-Terraform-Version: 1.9.8\r\n\r\n";

    @Test
    void aConnectionKeptOpenAfterSeveralRequestsHoldsAFewKilobytesOfHeap() throws Exception {
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.empty(),
                RequestObserver.NONE, cfg -> cfg.routes.get("/ping", ctx -> ctx.result("ok")))) {
            try (Socket warm = askTwice(server.port())) {
                assertThat(warm.isConnected()).isTrue();
            }
            long before = settledHeap();
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    open.add(askTwice(server.port()));
                }
                long perConnection = (settledHeap() - before) / CONNECTIONS;
                assertThat(perConnection).as("heap bytes held per open connection").isLessThan(20_000);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    /** A connection that has had two answers on it, left open. */
    private static Socket askTwice(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        for (int i = 0; i < 2; i++) {
            out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponseBody(in)).isEqualTo("ok");
        }
        return socket;
    }

    private static String readResponseBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        int length = -1;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** The heap in use after full collections, once it stops falling. */
    private static long settledHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
