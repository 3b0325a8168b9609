package dev.wharf.cli.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * The bytes of one batch of log lines, and the characters of the line being added: both reused
 * from batch to batch by the one thread that writes them, so a line costs no allocation. Encoding
 * each access line into an array of its own (a builder, its string, the string's bytes) was the
 * largest share of what a ready answer allocated under figure 1's load (bench/RESULTS.md, session 25).
 */
final class LineBatch {
    /** A batch that grew past this for a burst of long lines gives its array back afterwards. */
    private static final int KEPT_BYTES = 1 << 20;
    private static final int INITIAL_BYTES = 64 * 1024;
    /** Likewise for one long line (a stack trace). */
    private static final int KEPT_LINE_CHARS = 64 * 1024;
    /** Whether the platform's charset writes the 128 ASCII characters as their own codes, as every charset Linux uses does. */
    private final boolean asciiAsIs;
    private final Charset charset;
    private StringBuilder line = new StringBuilder(256);
    private byte[] bytes = new byte[INITIAL_BYTES];
    private int size;

    /** Lines in the platform's charset, as logback's encoders write them when none is set. */
    LineBatch() {
        this(Charset.defaultCharset());
    }

    LineBatch(Charset charset) {
        this.charset = charset;
        this.asciiAsIs = keepsAscii(charset);
    }

    private static boolean keepsAscii(Charset charset) {
        char[] ascii = new char[128];
        byte[] codes = new byte[128];
        for (int c = 0; c < 128; c++) {
            ascii[c] = (char) c;
            codes[c] = (byte) c;
        }
        return Arrays.equals(new String(ascii).getBytes(charset), codes);
    }

    /** The line to add next, empty; {@link #addLine} adds what was written into it. */
    StringBuilder line() {
        if (line.capacity() > KEPT_LINE_CHARS) {
            line = new StringBuilder(256);
        }
        line.setLength(0);
        return line;
    }

    /** Adds {@link #line()}'s characters: a byte each when they are all ASCII, else as the charset encodes the line. */
    void addLine() {
        int length = line.length();
        ensure(length);
        int start = size;
        for (int i = 0; i < length; i++) {
            char c = line.charAt(i);
            if (c >= 0x80 || !asciiAsIs) {
                size = start;
                add(line.toString().getBytes(charset));
                return;
            }
            bytes[size++] = (byte) c;
        }
    }

    /** Adds a line another encoder made. */
    void add(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    /** Writes the batch to {@code out} and empties it. */
    void writeTo(OutputStream out) throws IOException {
        try {
            out.write(bytes, 0, size);
        } finally {
            size = 0;
            if (bytes.length > KEPT_BYTES) {
                bytes = new byte[INITIAL_BYTES];
            }
        }
    }
}
