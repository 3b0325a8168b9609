package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.ChunkBytes;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.FaultProxy.Request;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reads go through their own HTTP client (Jetty's, {@code jetty.JettyBodyExchange}); these
 * check that it keeps what the store promises for every call: over the real docker-registry behind
 * a {@link FaultProxy}, chunked reads ({@link RegistryArtifactStore#readBlob}, what downloads and
 * the download cache use) come out whole and verified, reuse connections, fail clearly on stalls,
 * cuts, 503s and refusals, and leave the store working; redirects keep credentials at home; TLS
 * follows the store's trust; closing the store stops the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryBlobStreamTest {
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));
    private static final String REPO = "stream/app";
    private static final String CLIENT_THREADS = "wharf-registry-http";

    private Path dir;
    private DockerRegistryServer registry;
    private FaultProxy proxy;
    private RegistryArtifactStore store;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private Manifest pushed;
    private byte[] content;

    @BeforeAll
    void startRegistry() throws IOException {
        dir = Files.createTempDirectory("registry-blob-stream-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        content = new byte[3 << 20];
        new Random(19).nextBytes(content);
        try (RegistryArtifactStore direct = store(registry.host())) {
            pushed = direct.push(REPO, "1", artifact(content), false);
        }
    }

    @AfterAll
    void stopRegistry() {
        registry.close();
        TestFiles.deleteQuietly(dir);
    }

    @BeforeEach
    void startProxy() {
        calls.clear();
        proxy = FaultProxy.before(registry.host());
        store = store(proxy.host());
    }

    @AfterEach
    void stopProxy() {
        store.close();
        proxy.close();
    }

    private RegistryArtifactStore store(String host) {
        return new RegistryArtifactStore(new RegistrySettings("http://" + host, false, Optional.empty(), RegistryFaultTest.SHORT),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), RETRY, null,
                (operation, status, nanos) -> calls.add(operation + " " + status));
    }

    private static Artifact artifact(byte[] bytes) {
        return Artifact.single("application/vnd.wharf.test.v1", Layer.file("application/octet-stream", "f.bin", BlobSource.ofBytes(bytes)));
    }

    private Digest blob() {
        return pushed.layers().get(0).digest();
    }


    private byte[] readChunks() throws IOException {
        return ChunkBytes.readAll(store.readBlob(REPO, blob()));
    }

    private long count(Predicate<Request> which) {
        return proxy.requests().stream().filter(which).count();
    }

    private void resumes() throws IOException {
        proxy.heal();
        assertThat(readChunks()).isEqualTo(content);
    }

    @Test
    void chunksComeOutWholeAndVerifiedAndEachReadIsObserved() throws IOException {
        assertThat(readChunks()).isEqualTo(content);
        assertThat(readChunks()).isEqualTo(content);
        try (InputStream in = store.openBlob(REPO, blob())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(calls.stream().filter(c -> c.equals("get_blob 200"))).hasSize(3);
    }

    @Test
    void aChunkedReadThatStallsMidwayFailsAfterTheIdleTimeoutAndTheStoreRecovers() throws IOException {
        proxy.inject(Fault.STALL_MID_BODY, Request::isBlobRead);
        assertThatThrownBy(this::readChunks).isInstanceOf(IOException.class)
                .hasMessageContaining("sent nothing for " + RegistryFaultTest.SHORT.idle().toMillis() + " ms");
        resumes();
    }

    @Test
    void aConnectionCutOrEndedMidBodyFailsTheChunkedRead() throws IOException {
        for (Fault cut : List.of(Fault.RESET_MID_BODY, Fault.TRUNCATE_BODY)) {
            proxy.inject(cut, Request::isBlobRead);
            assertThatThrownBy(this::readChunks).as(cut.name()).isInstanceOf(IOException.class);
        }
        resumes();
    }

    @Test
    void wrongBytesFailTheChunkedReadAtItsEnd() throws IOException {
        proxy.inject(Fault.WRONG_BYTES, Request::isBlobRead);
        assertThatThrownBy(this::readChunks).isInstanceOf(IOException.class).hasMessageContaining("does not match its digest");
        resumes();
    }

    @Test
    void chunksAreTheClientsOwnBuffersAndWrongBytesNeverComeOutWhole() throws IOException {
        try (ChunkSource chunks = store.readBlob(REPO, blob())) {
            ByteBuffer first = chunks.next();
            assertThat(first).isNotNull();
            assertThat(first.isDirect()).as("the blob client's native buffer, not a heap copy of it").isTrue();
        }
        proxy.inject(Fault.WRONG_BYTES, Request::isBlobRead);
        long handedOut = 0;
        IOException failure = null;
        try (ChunkSource chunks = store.readBlob(REPO, blob())) {
            while (failure == null) {
                try {
                    ByteBuffer chunk = chunks.next();
                    assertThat(chunk).as("the end of a blob whose bytes are wrong").isNotNull();
                    handedOut += chunk.remaining();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        assertThat(failure).hasMessageContaining("does not match its digest " + blob());
        assertThat(handedOut).as("the last chunk waits for the digest").isLessThan(content.length);
        resumes();
    }

    @Test
    void anEmptyBlobReadsAsNoChunksAndASmallOneAsOne() throws IOException {
        for (byte[] bytes : List.of(new byte[0], "a few bytes".getBytes(StandardCharsets.UTF_8))) {
            Manifest small = store.push(REPO, "small-" + bytes.length, artifact(bytes), false);
            try (ChunkSource chunks = store.readBlob(REPO, small.layers().get(0).digest())) {
                ByteBuffer first = chunks.next();
                if (bytes.length == 0) {
                    assertThat(first).isNull();
                } else {
                    assertThat(first).isNotNull();
                    byte[] got = new byte[first.remaining()];
                    first.get(got);
                    assertThat(got).isEqualTo(bytes);
                    assertThat(chunks.next()).isNull();
                }
                assertThat(chunks.next()).as("the end stays the end").isNull();
            }
        }
    }

    @Test
    void aBlobReadThatGetsNoAnswerIsRetriedThenFailsClearly() throws IOException {
        store.listTags(REPO);
        proxy.inject(Fault.STALL, Request::isBlobRead);
        assertThatThrownBy(this::readChunks).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains("no answer", "in time", "read the blob " + blob(), proxy.host());
        });
        assertThat(count(Request::isBlobRead)).as("a stalled blob GET is tried again").isGreaterThanOrEqualTo(2);
        resumes();
    }

    @Test
    void a503ToABlobReadIsRetriedAsForEveryRead() throws IOException {
        proxy.inject(Fault.STATUS_503, Request::isBlobRead);
        assertThatThrownBy(this::readChunks).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.getMessage()).contains("503"));
        assertThat(count(Request::isBlobRead)).isEqualTo(3);
        assertThat(calls.stream().filter(c -> c.equals("get_blob 503"))).hasSize(3);
        resumes();
    }

    @Test
    void aRefusedBlobReadIsUnreachable() throws IOException {
        store.listTags(REPO);
        proxy.inject(Fault.REFUSE);
        assertThatThrownBy(this::readChunks).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains("cannot connect", proxy.host(), "read the blob");
        });
        resumes();
    }

    @Test
    void readsAbandonedHalfwayLeaveTheClientUsable() throws IOException {
        for (int i = 0; i < 3; i++) {
            try (InputStream in = store.openBlob(REPO, blob())) {
                assertThat(in.readNBytes(1000)).isEqualTo(java.util.Arrays.copyOf(content, 1000));
            }
        }
        try (ChunkSource chunks = store.readBlob(REPO, blob())) {
            assertThat(chunks.next()).isNotNull();
        }
        assertThatThrownBy(() -> {
            InputStream in = store.openBlob(REPO, blob());
            in.close();
            in.read();
        }).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(readChunks()).isEqualTo(content);
    }

    @Test
    void readsWhoseReadersPausedDoNotHoldUpTheNext() throws IOException {
        List<InputStream> paused = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 80; i++) {
                paused.add(store.openBlob(REPO, blob()));
            }
            assertThat(readChunks()).isEqualTo(content);
        } finally {
            for (InputStream in : paused) {
                in.close();
            }
        }
    }

    @Test
    void closingTheStoreStopsItsReadClient() throws IOException, InterruptedException {
        Set<Thread> before = clientThreads();
        RegistryArtifactStore other = store(proxy.host());
        assertThat(clientThreads()).as("no request yet, no client").isEqualTo(before);
        assertThat(other.listTags(REPO)).contains("1");
        assertThat(ChunkBytes.readAll(other.readBlob(REPO, blob()))).isEqualTo(content);
        Set<Thread> started = clientThreads();
        started.removeAll(before);
        assertThat(started).as("the first read started the store's own client").isNotEmpty();
        other.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Thread thread : started) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        assertThat(started).noneMatch(Thread::isAlive);
        assertThatThrownBy(() -> other.readBlob(REPO, blob())).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(CLIENT_THREADS))
                .collect(Collectors.toSet());
    }
}
