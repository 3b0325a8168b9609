package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Resource;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.InputStreamChunks;
import dev.wharf.oci.SizeCheckedChunks;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request thread downloading a package zip that went missing from the cache, while a refresh
 * tidies the cache: the refresh must leave the download's {@code .part} file alone, and the request
 * must get its file. The download is held half-written on a latch, so the refresh always runs
 * in the middle of it. Requests for a zip another request is downloading wait for that download
 * instead of reading the registry again.
 */
class OciIndexerDownloadRaceTest {
    @TempDir
    Path dir;

    @Test
    void aRefreshDoesNotDeleteADownloadUnderWay() throws Exception {
        ImageLayoutStore layout = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.publishAll(layout, dir);
        AtomicReference<Thread> held = new AtomicReference<>();
        // Holds the blob stream of the request thread alone after its first chunk; the refresh's downloads pass.
        HoldingStore store = new HoldingStore(layout, () -> Thread.currentThread() == held.get());
        CountDownLatch halfWritten = store.halfWritten;
        CountDownLatch release = store.release;
        Path cache = dir.resolve("cache");
        OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, cache));
        indexer.start();
        PersistedFirstIndex.await(indexer);
        IndexedPackage gallery = indexer.packages().stream().filter(p -> p.name().equals("gallery")).findFirst().orElseThrow();
        Path blobs = cache.resolve("blobs");
        try (var files = Files.list(blobs)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        // What a process killed in the middle of a download leaves behind.
        Path abandoned = Files.writeString(blobs.resolve("sha256-" + "0".repeat(64) + ".zip.abandoned.part"), "half");

        ExecutorService requests = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<Resource>> request = requests.submit(() -> {
                held.set(Thread.currentThread());
                return gallery.content().file("manifest.yml");
            });
            assertThat(halfWritten.await(60, TimeUnit.SECONDS)).as("the request started its download").isTrue();
            List<Path> inFlight = parts(blobs).stream().filter(p -> !p.equals(abandoned)).toList();
            assertThat(inFlight).as("the request's download").hasSize(1);

            indexer.refresh();

            assertThat(abandoned).as("the .part file nobody writes").doesNotExist();
            assertThat(inFlight.get(0)).as("the .part file the request is writing").exists();
            release.countDown();
            assertThat(request.get(60, TimeUnit.SECONDS)).as("manifest.yml of gallery").isPresent();
            // The refresh left the other zips to the fill, behind the index.
            PersistedFirstIndex.await(indexer);
        } finally {
            release.countDown();
            requests.shutdownNow();
            indexer.close();
        }
        assertThat(parts(blobs)).as("no .part file left").isEmpty();
        try (var files = Files.list(blobs)) {
            assertThat(files.count()).as("every package's zip, back in the cache").isEqualTo(indexer.packages().size());
        }
    }

    @Test
    void requestsForAZipBeingDownloadedWaitForThatDownload() throws Exception {
        ImageLayoutStore layout = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.publishAll(layout, dir);
        AtomicBoolean holding = new AtomicBoolean();
        // Holds the first blob stream opened once the test starts holding: the first request's download.
        HoldingStore store = new HoldingStore(layout, () -> holding.getAndSet(false));
        Path cache = dir.resolve("cache");
        OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, cache));
        indexer.start();
        try {
            PersistedFirstIndex.await(indexer);
            IndexedPackage gallery = indexer.packages().stream().filter(p -> p.name().equals("gallery")).findFirst().orElseThrow();
            try (var files = Files.list(cache.resolve("blobs"))) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            int opened = store.opened.get();
            holding.set(true);
            List<AtomicReference<Object>> answers = new ArrayList<>();
            List<Thread> requests = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                AtomicReference<Object> answer = new AtomicReference<>();
                answers.add(answer);
                Thread request = new Thread(() -> {
                    try {
                        answer.set(gallery.content().file("manifest.yml"));
                    } catch (Exception | Error e) {
                        answer.set(e);
                    }
                }, "request-" + i);
                requests.add(request);
                request.start();
                if (i == 0) {
                    assertThat(store.halfWritten.await(60, TimeUnit.SECONDS)).as("the first request started its download").isTrue();
                }
            }
            awaitParked(requests.subList(1, requests.size()));
            store.release.countDown();
            for (Thread request : requests) {
                request.join(60_000);
            }
            assertThat(answers).allSatisfy(a -> assertThat(a.get()).as("manifest.yml of gallery")
                    .isInstanceOfSatisfying(Optional.class, found -> assertThat(found).isPresent()));
            assertThat(store.opened.get() - opened).as("blob streams opened for four requests of one zip").isEqualTo(1);
        } finally {
            store.release.countDown();
            indexer.close();
        }
    }

    /** Until each of {@code threads} waits (for the download under way) or has ended: they do not read the registry themselves. */
    private static void awaitParked(List<Thread> threads) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TERMINATED)) {
                return;
            }
            LockSupport.parkNanos(10_000_000);
        }
        throw new AssertionError("the requests neither waited nor ended: " + threads.stream().map(Thread::getState).toList());
    }

    /**
     * The store, whose blob streams count as they are opened; a stream opened while {@code hold}
     * says so stops after its first chunk, until {@link #release}.
     */
    private static final class HoldingStore extends ForwardingArtifactStore {
        final CountDownLatch halfWritten = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger opened = new AtomicInteger();
        private final BooleanSupplier hold;

        HoldingStore(ImageLayoutStore layout, BooleanSupplier hold) {
            super(layout);
            this.hold = hold;
        }

        /** Through {@link #openBlob}, so the cache's downloads, which read blobs as chunks, are counted and held too. */
        @Override
        public ChunkSource readBlob(String repository, Descriptor blob) {
            return SizeCheckedChunks.of(new InputStreamChunks(openBlob(repository, blob.digest()), COPY_BUFFER), blob, describe());
        }

        @Override
        public InputStream openBlob(String repository, Digest digest) {
            opened.incrementAndGet();
            InputStream in = delegate.openBlob(repository, digest);
            if (!hold.getAsBoolean()) {
                return in;
            }
            return new FilterInputStream(in) {
                private int reads;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (++reads == 2) {
                        halfWritten.countDown();
                        try {
                            if (!release.await(60, TimeUnit.SECONDS)) {
                                throw new IOException("the test never released the download");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException();
                        }
                    }
                    return super.read(b, off, len);
                }
            };
        }
    }

    private static List<Path> parts(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
