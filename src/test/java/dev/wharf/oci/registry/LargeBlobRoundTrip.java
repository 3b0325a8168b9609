package dev.wharf.oci.registry;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Run in a forked JVM with a small heap by {@link RegistryLargeBlobTest}: writes a file of the given
 * size (generated chunk by chunk, never held in memory), pushes it to the registry, reads it back
 * through {@code openBlob} and checks the digest. Prints {@code ELAPSED_MS=} and
 * {@code PEAK_HEAP_MB=}; exits non-zero on any mismatch.
 */
public final class LargeBlobRoundTrip {
    private LargeBlobRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        String registry = args[0];
        Path file = Path.of(args[1]);
        long size = Long.parseLong(args[2]);

        MessageDigest written = Digest.newSha256();
        SplittableRandom random = new SplittableRandom(7);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += chunk.capacity()) {
                chunk.clear();
                while (chunk.remaining() >= 8) {
                    chunk.putLong(random.nextLong());
                }
                int n = (int) Math.min(chunk.capacity(), size - done);
                written.update(chunk.array(), 0, n);
                out.write(chunk.array(), 0, n);
            }
        }
        Digest expected = Digest.ofSha256(written);

        RegistryArtifactStore store = new RegistryArtifactStore(new RegistrySettings(registry, false, Optional.empty()),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), RetryPolicy.standard(), null);
        long start = System.nanoTime();
        Manifest manifest = store.push("large/blob", "v1", Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("application/octet-stream", "large.bin", BlobSource.ofFile(file))), false);
        long pushed = System.nanoTime();
        if (!manifest.layers().get(0).digest().equals(expected) || manifest.layers().get(0).size() != size) {
            System.out.println("FAIL pushed descriptor " + manifest.layers().get(0) + " expected " + expected);
            System.exit(2);
        }
        Digest layer = store.resolve("large/blob", "v1").orElseThrow().layers().get(0).digest();
        MessageDigest readBack = Digest.newSha256();
        long read;
        try (InputStream in = new DigestInputStream(store.openBlob("large/blob", layer), readBack)) {
            read = in.transferTo(OutputStream.nullOutputStream());
        }
        long done = System.nanoTime();
        if (read != size || !Digest.ofSha256(readBack).equals(expected)) {
            System.out.println("FAIL read " + read + " bytes, digest " + Digest.ofSha256(readBack) + " expected " + expected);
            System.exit(3);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("SIZE_MB=" + (size >> 20));
        System.out.println("PUSH_MS=" + (pushed - start) / 1_000_000);
        System.out.println("PULL_MS=" + (done - pushed) / 1_000_000);
        System.out.println("ELAPSED_MS=" + (done - start) / 1_000_000);
        System.out.println("PEAK_HEAP_MB=" + peak / (1 << 20));
        System.out.println("MAX_HEAP_MB=" + Runtime.getRuntime().maxMemory() / (1 << 20));
    }
}
