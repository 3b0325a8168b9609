package dev.wharf.epr.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * Holds back the first {@value GoContentSniffer#SNIFF_LENGTH} bytes of a body, names its content type
 * from them ({@link GoContentSniffer}) before anything is sent, then passes everything through: the
 * body is streamed, never loaded whole, yet typed as Go types it.
 */
final class SniffingOutput extends OutputStream {
    private final byte[] head = new byte[GoContentSniffer.SNIFF_LENGTH];
    private final OutputStream target;
    private final Consumer<String> contentType;
    private int filled;
    private boolean decided;

    SniffingOutput(OutputStream target, Consumer<String> contentType) {
        this.target = target;
        this.contentType = contentType;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (!decided) {
            int take = Math.min(len, head.length - filled);
            System.arraycopy(b, off, head, filled, take);
            filled += take;
            off += take;
            len -= take;
            if (filled < head.length) {
                return;
            }
            decide();
        }
        if (len > 0) {
            target.write(b, off, len);
        }
    }

    /** Ends the body: a body shorter than the sniffed length is typed and sent here. */
    void finish() throws IOException {
        if (!decided) {
            decide();
        }
        target.flush();
    }

    private void decide() throws IOException {
        decided = true;
        contentType.accept(GoContentSniffer.detect(head, filled));
        target.write(head, 0, filled);
    }
}
