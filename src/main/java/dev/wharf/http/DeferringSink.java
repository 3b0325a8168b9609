package dev.wharf.http;

import dev.wharf.oci.BlobSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.jspecify.annotations.Nullable;

/**
 * A sink into Jetty's output that keeps back a body given whole as a mapped file (a download
 * cache hit), for {@link ResponseBodies} to send asynchronously once the body is written: such a
 * download then holds no thread while the client reads. Chunks written one by one go out at once,
 * blocking, as before; a kept-back file goes first if any follow.
 */
final class DeferringSink implements BlobSink {
    private final HttpOutput out;
    private @Nullable ByteBuffer deferred;
    private boolean written;

    DeferringSink(HttpOutput out) {
        this.out = out;
    }

    @Override
    public void write(ByteBuffer chunk) throws IOException {
        flushDeferred();
        written = true;
        out.write(chunk);
    }

    @Override
    public void writeMapped(FileChannel file) throws IOException {
        long size = file.size();
        if (!written && deferred == null && size <= ResponseBodies.MAX_MAPPED) {
            // A mapping outlives the channel its store closes after this returns.
            deferred = file.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return;
        }
        BlobSink.super.writeMapped(file);
    }

    /** The whole body, when it was one mapped file; null when it went out already. */
    @Nullable ByteBuffer deferred() {
        return deferred;
    }

    private void flushDeferred() throws IOException {
        if (deferred != null) {
            ByteBuffer first = deferred;
            deferred = null;
            written = true;
            out.write(first);
        }
    }
}
