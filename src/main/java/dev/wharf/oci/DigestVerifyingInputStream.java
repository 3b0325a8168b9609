package dev.wharf.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Passes content through while hashing it, and fails at the end of the stream when the content is
 * not what its digest promised, so a reader never mistakes a truncated or corrupted blob for a good
 * one. The failure is an {@link IOException} because it surfaces inside stream copies.
 */
public final class DigestVerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final MessageDigest hash;
    private boolean checked;

    public DigestVerifyingInputStream(InputStream in, Digest expected) {
        super(in);
        this.expected = expected;
        this.hash = expected.newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            verify();
        } else {
            hash.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else {
            hash.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would leave bytes unhashed: read them instead.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        verify(expected, hash);
    }

    /** Fails when what {@code hash} has seen is not the content {@code expected} names. */
    public static void verify(Digest expected, MessageDigest hash) throws IOException {
        String actual = HexFormat.of().formatHex(hash.digest());
        if (!actual.equals(expected.hex())) {
            throw new ContentMismatchException("blob content does not match its digest " + expected + " (got "
                    + expected.algorithm() + ":" + actual + "): the stored blob is corrupt or was truncated");
        }
    }
}
