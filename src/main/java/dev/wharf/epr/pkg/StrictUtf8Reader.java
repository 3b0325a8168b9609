package dev.wharf.epr.pkg;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A package file's bytes read as UTF-8, refusing the first byte that is not, with the line and column
 * where it stands. Jackson's own YAML reader reported such a byte through SnakeYAML as
 * "java.io.CharConversionException: … byte #-1", a class name and no usable position; go-yaml, which
 * EPR reads manifests with, refuses such a file too.
 */
final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private boolean end;
    private int line = 1;
    private int column = 1;
    private boolean afterCarriageReturn;

    /** Where the text stops being UTF-8; a {@link CharConversionException} so that readers pass it on as an I/O failure. */
    static final class NotUtf8Exception extends CharConversionException {
        private static final long serialVersionUID = 1L;

        NotUtf8Exception(String message) {
            super(message);
        }
    }

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            CoderResult result = decoder.decode(bytes, out, end);
            if (result.isError()) {
                counted(buffer, offset, out.position());
                throw new NotUtf8Exception("line " + line + ", column " + column + ": byte 0x"
                        + String.format("%02x", bytes.get(bytes.position()) & 0xff) + " starts no UTF-8 character");
            }
            if (result.isUnderflow() && out.position() == offset) {
                if (end) {
                    return -1;
                }
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    end = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
        }
        counted(buffer, offset, out.position());
        return out.position() - offset;
    }

    /**
     * Moves the position past the characters decoded into {@code buffer} from {@code from} to {@code to}. A line
     * ends where YAML's, and so SnakeYAML's marks in the file's other messages, end one: at "\r\n", "\r", "\n",
     * NEL, LS or PS. Counting "\n" alone put every byte of a file saved with "\r" line ends on line 1.
     */
    private void counted(char[] buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = buffer[i];
            boolean secondOfPair = c == '\n' && afterCarriageReturn;
            afterCarriageReturn = c == '\r';
            if (secondOfPair) {
                continue;
            }
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
