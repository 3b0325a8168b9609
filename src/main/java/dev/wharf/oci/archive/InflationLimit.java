package dev.wharf.oci.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An inflated archive stream that refuses to give more than {@code limit} bytes, counted as they
 * really come out (not as the archive declares them), so a gzip bomb read for a few files costs
 * little. The refusal names what was being read: {@code before} ends the message.
 */
public final class InflationLimit extends FilterInputStream {
    private final long limit;
    private final String before;
    private long count;

    public InflationLimit(InputStream in, long limit, String before) {
        super(in);
        this.limit = limit;
        this.before = before;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw new ArchiveRefusedException("the archive inflates to more than " + limit + " bytes " + before);
        }
    }
}
