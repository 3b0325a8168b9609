package dev.wharf.oci.archive;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A gzip read as gzip(1), Go's {@code compress/gzip} (and so go-getter, which unpacks modules for
 * terraform) and Python read it: every member, one after the other. Read member by member, the first
 * member's end looked like the archive's end, and what later members held was neither checked nor
 * shown, though every client unpacks it.
 */
public final class Gzip {
    private Gzip() {
    }

    public static InputStream allMembers(InputStream in) throws IOException {
        return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
    }
}
