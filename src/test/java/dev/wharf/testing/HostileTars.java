package dev.wharf.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Tars an attacker (or an unusual writer) would make, record by record: any type flag, any size field,
 * data that need not match it, PAX and GNU long-name headers of any length, and no end-of-archive
 * records unless asked for. Written here byte by byte, as ustar headers, so no library's writer
 * tidies what a test needs broken.
 */
public final class HostileTars {
    public static final int RECORD = 512;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static HostileTars start() {
        return new HostileTars();
    }

    /** A regular file ('0') holding {@code content}. */
    public HostileTars file(String name, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return entry(name, (byte) '0', bytes.length, bytes);
    }

    /** A header of {@code type} whose size field says {@code size}, followed by {@code data} padded to whole records. */
    public HostileTars entry(String name, byte type, long size, byte[] data) {
        out.writeBytes(header(name, type, size));
        out.writeBytes(Arrays.copyOf(data, (data.length + RECORD - 1) / RECORD * RECORD));
        return this;
    }

    /** As {@link #entry}, with the old GNU header's magic ("ustar  \0"), which GNU types such as sparse ('S') need. */
    public HostileTars gnuEntry(String name, byte type, long size, byte[] data) {
        byte[] h = header(name, type, size);
        System.arraycopy("ustar  \u0000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        withChecksum(h);
        out.writeBytes(h);
        out.writeBytes(Arrays.copyOf(data, (data.length + RECORD - 1) / RECORD * RECORD));
        return this;
    }

    /** As {@link #entry}, the ustar header's prefix field (155 bytes, joined to the name with '/') holding {@code prefix}. */
    public HostileTars prefixedEntry(String prefix, String name, byte type, long size, byte[] data) {
        byte[] h = header(name, type, size);
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, h, 345, Math.min(p.length, 155));
        withChecksum(h);
        out.writeBytes(h);
        out.writeBytes(Arrays.copyOf(data, (data.length + RECORD - 1) / RECORD * RECORD));
        return this;
    }

    /** A PAX extended header ('x', or 'g' for a global one) of these key=value records, each "LEN key=value\n". */
    public HostileTars pax(byte type, String... keyValues) {
        StringBuilder body = new StringBuilder();
        for (String kv : keyValues) {
            body.append(paxRecord(kv));
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        return entry("PaxHeaders/entry", type, bytes.length, bytes);
    }

    /** {@code bytes} as they are, whole records or not: a lone zero block, a record cut short. */
    public HostileTars raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** The two zeroed records that end a tar. */
    public HostileTars end() {
        out.writeBytes(new byte[2 * RECORD]);
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    public byte[] gzipped() throws IOException {
        return gzip(bytes());
    }

    public static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(gz)) {
            zip.write(content);
        }
        return gz.toByteArray();
    }

    /** "LEN key=value\n", LEN counting itself. */
    public static String paxRecord(String keyValue) {
        int rest = keyValue.getBytes(StandardCharsets.UTF_8).length + 2;
        int length = rest + String.valueOf(rest).length();
        if (String.valueOf(length).length() != String.valueOf(rest).length()) {
            length++;
        }
        return length + " " + keyValue + "\n";
    }

    /** A ustar header: name (at most 100 bytes here), mode, ids, size, mtime, type, magic, and its checksum. */
    public static byte[] header(String name, byte type, long size) {
        byte[] h = new byte[RECORD];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        withChecksum(h);
        return h;
    }

    private static void withChecksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] check = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(check, 0, h, 148, 8);
    }

    private static void octal(byte[] h, int at, int width, long value) {
        byte[] digits = String.format("%0" + (width - 1) + "o", value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, at, width - 1);
        h[at + width - 1] = 0;
    }
}
