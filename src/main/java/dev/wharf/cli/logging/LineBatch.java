package dev.wharf.cli.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one batch of log lines, and the characters of the line being added: both reused
 * from batch to batch by the one thread that writes them, so a line costs no allocation. Encoding
 * each access line into an array of its own (a builder, its string, the string's bytes) was the
 * largest share of what a ready answer allocated under figure 1's load (bench/RESULTS.md, session 25).
 *
 * <p>A line's characters are copied out of the builder in one go and encoded by the JDK's
 * encoder, which writes a run of ASCII with one vectorised loop: a character at a time through
 * {@code StringBuilder.charAt}, a 560-character ECS access line cost 280–330 ns, now about 30
 * (bench/RESULTS.md, session 28).
 */
final class LineBatch {
    /** A batch that grew past this for a burst of long lines gives its array back afterwards. */
    private static final int KEPT_BYTES = 1 << 20;
    private static final int INITIAL_BYTES = 64 * 1024;
    /** Likewise for one long line (a stack trace). */
    private static final int KEPT_LINE_CHARS = 64 * 1024;
    private final Charset charset;
    private final CharsetEncoder encoder;
    private final CharsetEncoder utf8 = encoder(StandardCharsets.UTF_8);
    private StringBuilder line = new StringBuilder(256);
    private char[] chars = new char[256];
    private byte[] bytes = new byte[INITIAL_BYTES];
    private int size;

    /** Lines in the platform's charset, as logback's encoders write them when none is set. */
    LineBatch() {
        this(Charset.defaultCharset());
    }

    LineBatch(Charset charset) {
        this.charset = charset;
        this.encoder = encoder(charset);
    }

    /** Replacing what it cannot encode, as {@link String#getBytes(Charset)} does. */
    private static CharsetEncoder encoder(Charset charset) {
        return charset.newEncoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    /** The line to add next, empty; {@link #addLine} adds what was written into it. */
    StringBuilder line() {
        if (line.capacity() > KEPT_LINE_CHARS) {
            line = new StringBuilder(256);
            chars = new char[256];
        }
        line.setLength(0);
        return line;
    }

    /** Adds {@link #line()}'s characters as the batch's charset encodes them. */
    void addLine() {
        addLine(encoder, charset);
    }

    /** Adds {@link #line()}'s characters in UTF-8, whatever the batch's charset: for encoders that always write it. */
    void addUtf8Line() {
        addLine(utf8, StandardCharsets.UTF_8);
    }

    private void addLine(CharsetEncoder lines, Charset as) {
        int length = line.length();
        if (chars.length < length) {
            chars = new char[Math.max(length, 2 * chars.length)];
        }
        line.getChars(0, length, chars, 0);
        ensure((int) Math.ceil(length * (double) lines.maxBytesPerChar()) + 16);
        ByteBuffer out = ByteBuffer.wrap(bytes, size, bytes.length - size);
        lines.reset();
        CoderResult result = lines.encode(CharBuffer.wrap(chars, 0, length), out, true);
        if (result.isUnderflow()) {
            result = lines.flush(out);
        }
        if (!result.isUnderflow()) {
            // Not expected with room for the most bytes a character takes; the string's own encoding then.
            add(line.toString().getBytes(as));
            return;
        }
        size = out.position();
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
