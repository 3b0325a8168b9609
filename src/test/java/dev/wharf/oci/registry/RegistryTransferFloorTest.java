package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.cache.DiskBlobCache;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.FaultProxy.Request;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A blob the registry trickles (a byte every {@link FaultProxy#TRICKLE_PACE}, under the idle timeout) fails at the least rate
 * Wharf waits for, naming the registry, the blob and the rate, instead of holding its reader for as long as the trickle lasts.
 * The store's clock runs a thousand times faster than real time, so a quarter of a second between two bytes is 250 s of
 * waiting to the floor: the test takes a moment, and the same clock times a blob that comes at loopback speed as fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryTransferFloorTest {
    private static final String REPO = "slow/app";
    private static final byte[] CONTENT = "a small blob, trickled a byte at a time".getBytes(StandardCharsets.UTF_8);

    private Path dir;
    private DockerRegistryServer registry;
    private FaultProxy proxy;
    private RegistryArtifactStore store;
    private Digest blob;

    @BeforeAll
    void startRegistry() throws IOException {
        dir = Files.createTempDirectory("registry-floor-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        try (RegistryArtifactStore direct = RegistryTestStores.anonymous("http://" + registry.host())) {
            blob = direct.push(REPO, "1", Artifact.single("application/vnd.wharf.test.v1",
                    Layer.file("application/octet-stream", "f.bin", BlobSource.ofBytes(CONTENT))), false).layers().get(0).digest();
        }
    }

    @AfterAll
    void stopRegistry() {
        registry.close();
        ScratchFolder.deleteTree(dir);
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.before(registry.host());
        store = new RegistryArtifactStore(new RegistrySettings("http://" + proxy.host(), false, Optional.empty()),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), RegistryTestStores.QUICK_RETRY, null,
                RegistryCallObserver.NONE, ProxySelector.getDefault(), new FastClock(1000));
    }

    @AfterEach
    void stopProxy() {
        store.close();
        proxy.close();
    }

    @Test
    void aTrickledBlobReadAsAStreamFailsAtTheFloorNamingRegistryBlobAndRate() throws IOException {
        try (InputStream in = store.openBlob(REPO, blob)) {
            assertThat(in.readAllBytes()).as("at loopback speed, on the same fast clock").isEqualTo(CONTENT);
        }
        proxy.inject(Fault.TRICKLE_BODY, Request::isBlobRead);
        assertThatThrownBy(() -> {
            try (InputStream in = store.openBlob(REPO, blob)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class)
                .hasMessageStartingWith("registry http://" + proxy.host() + ", repository " + REPO + ": cannot read the blob " + blob
                        + ": the registry sent ")
                .hasMessageContaining("bytes/s), under the least rate Wharf waits for, 1 KiB/s averaged over 60 s");
    }

    @Test
    void aTrickledBlobFillingTheDownloadCacheFailsAtTheFloorAndIsNotKept() throws IOException {
        Path cacheDir = dir.resolve("cache-" + System.nanoTime());
        DiskBlobCache cache = new DiskBlobCache(store, cacheDir, 1 << 20);
        proxy.inject(Fault.TRICKLE_BODY, Request::isBlobRead);
        assertThatThrownBy(() -> {
            try (ChunkSource chunks = cache.readBlob(REPO, blob)) {
                while (chunks.next() != null) {
                    // Only read: what matters is that the read ends.
                }
            }
        }).isInstanceOf(IOException.class)
                .hasMessageContaining("registry http://" + proxy.host() + ", repository " + REPO + ": cannot read the blob " + blob)
                .hasMessageContaining("under the least rate Wharf waits for, 1 KiB/s averaged over 60 s");
        try (var kept = Files.list(cacheDir)) {
            assertThat(kept).as("nothing kept").isEmpty();
        }
    }

    /** Real time, {@code factor} times faster, from the moment it is made. */
    private static final class FastClock extends Clock {
        private final long factor;
        private final long startNanos = System.nanoTime();
        private final Instant start = Instant.now();

        FastClock(long factor) {
            this.factor = factor;
        }

        @Override
        public Instant instant() {
            return start.plusNanos((System.nanoTime() - startNanos) * factor);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new IllegalArgumentException("UTC only");
        }
    }
}
