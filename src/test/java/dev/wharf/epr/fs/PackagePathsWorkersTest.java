package dev.wharf.epr.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.epr.TestPackages;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.oci.archive.ArchiveLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -package-paths-workers: how many threads read the packages of the package paths. */
class PackagePathsWorkersTest {
    @TempDir
    Path dir;

    @Test
    void readsWithAsManyThreadsAsWorkersAndKeepsTheOrderFound() throws Exception {
        Path packages = TestPackages.fileSystemLayout(dir);
        List<String> one = index(packages, 1, new CountingThreads());
        CountingThreads three = new CountingThreads();
        List<String> withThree = index(packages, 3, three);
        assertThat(three.made.get()).isEqualTo(3);
        assertThat(withThree).isEqualTo(one).hasSizeGreaterThan(3);
        CountingThreads single = new CountingThreads();
        index(packages, 1, single);
        assertThat(single.made.get()).isEqualTo(1);
    }

    @Test
    void neverMoreThreadsThanPackages() throws Exception {
        Path packages = dir.resolve("packages");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.1.0"), packages.resolve("acme_logs/1.1.0"));
        CountingThreads threads = new CountingThreads();
        assertThat(index(packages, 8, threads)).containsExactly("acme_logs-1.1.0");
        assertThat(threads.made.get()).isEqualTo(1);
    }

    @Test
    void zeroWorkersIsRefusedWithEprsMessage() {
        assertThatThrownBy(() -> PackagePathsOptions.defaults().withWorkers(0))
                .hasMessage("package-paths-workers must be greater than 0");
    }

    private static List<String> index(Path packages, int workers, ThreadFactory threads) throws Exception {
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(packages), true, false, ArchiveLimits.DEFAULT, Clock.systemUTC(),
                PackagePathsOptions.defaults().withWorkers(workers).withReaders(threads));
        try (indexer) {
            indexer.start();
            return indexer.packages().stream().map(IndexedPackage::key).toList();
        }
    }

    private static final class CountingThreads implements ThreadFactory {
        final AtomicInteger made = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            made.incrementAndGet();
            Thread t = new Thread(r, "test-reader-" + made.get());
            t.setDaemon(true);
            return t;
        }
    }
}
