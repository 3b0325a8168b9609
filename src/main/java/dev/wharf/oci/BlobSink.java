package dev.wharf.oci;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where {@link ArtifactStore#copyBlob} puts a blob's content: chunk after chunk, in order. A write
 * takes every remaining byte of the chunk before it returns; the chunk is the store's again
 * afterwards, so a sink that wants to keep bytes copies them.
 */
@FunctionalInterface
public interface BlobSink {
    void write(ByteBuffer chunk) throws IOException;
}
