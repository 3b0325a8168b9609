package dev.wharf.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request or answer head as {@link FaultProxy} reads it: the first line and the headers. */
record ProxyHead(byte[] raw, String firstLine, Map<String, String> headers) {
    /** The next head on {@code in}, or null when the peer closed (or reset) before one. */
    static ProxyHead read(InputStream in) throws IOException {
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
        return new ProxyHead(raw, lines[0], headers);
    }

    String header(String name) {
        return headers.get(name);
    }

    long contentLength() {
        String v = headers.get("content-length");
        return v == null ? -1 : Long.parseLong(v);
    }

    boolean isOk() {
        return firstLine.contains(" 200 ");
    }

    /** A range's answer, 206 Partial Content. */
    boolean isPartial() {
        return firstLine.contains(" 206 ");
    }

    /** The head again, its Content-Length replaced by {@code length}. */
    byte[] withContentLength(long length) {
        return withHeader("Content-Length", String.valueOf(length));
    }

    /** The head again, its header {@code name} (any case) replaced by {@code name: value}. */
    byte[] withHeader(String name, String value) {
        List<String> lines = new ArrayList<>(List.of(new String(raw, StandardCharsets.ISO_8859_1).split("\r\n")));
        lines.removeIf(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"));
        lines.add(name + ": " + value);
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
