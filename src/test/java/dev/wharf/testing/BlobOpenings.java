package dev.wharf.testing;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ForwardingArtifactStore;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that counts the blobs opened as streams, which is how an archive's README or documentation is read. */
public final class BlobOpenings extends ForwardingArtifactStore {
    private final AtomicInteger openings = new AtomicInteger();

    public BlobOpenings(ArtifactStore delegate) {
        super(delegate);
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        openings.incrementAndGet();
        return super.openBlob(repository, digest);
    }

    public int count() {
        return openings.get();
    }
}
