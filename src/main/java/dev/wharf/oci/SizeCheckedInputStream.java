package dev.wharf.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob's stream, failing when its length is not the size its descriptor gives ({@link BlobLength}).
 * Not a {@code FilterInputStream}: InputStream's own {@code skip} reads through {@link #read}, so
 * skipped bytes are counted too.
 */
final class SizeCheckedInputStream extends InputStream {
    private final InputStream in;
    private final BlobLength length;

    SizeCheckedInputStream(InputStream in, BlobLength length) {
        this.in = in;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        return counted(in.read(), 1);
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n = in.read(buffer, offset, count);
        return counted(n, n);
    }

    /** Passes on {@code result}, a read that took {@code bytes} (the end when negative), once counted. */
    private int counted(int result, int bytes) throws IOException {
        if (result < 0) {
            length.end();
        } else {
            length.add(bytes);
        }
        return result;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
