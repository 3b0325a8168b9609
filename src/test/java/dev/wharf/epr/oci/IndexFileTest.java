package dev.wharf.epr.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** index.json is replaced whole, and what a killed writer left half-written is removed on the next read. */
class IndexFileTest {
    @TempDir
    Path cache;

    @Test
    void aWrittenIndexReadsBackAndLeavesNoTemporaryFile() throws Exception {
        IndexFile file = new IndexFile(cache, "test/packages");
        file.write(new PersistedIndex(PersistedIndex.FORMAT, "test/packages", null, "2026-12-05T16:00:00Z", null, List.of(), List.of()));
        assertThat(file.read()).hasValueSatisfying(p -> assertThat(p.source()).isEqualTo("test/packages"));
        assertThat(names()).containsExactly("index.json");
    }

    /** A server's stop interrupts the thread that persists the index last; the file is written all the same. */
    @Test
    void anInterruptedThreadStillWritesTheIndex() throws Exception {
        IndexFile file = new IndexFile(cache, "test/packages");
        Thread.currentThread().interrupt();
        try {
            file.write(new PersistedIndex(PersistedIndex.FORMAT, "test/packages", null, "2026-12-05T16:00:00Z", null, List.of(), List.of()));
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(file.read()).isPresent();
        assertThat(names()).containsExactly("index.json");
    }

    @Test
    void anIndexFileAKilledProcessWasWritingIsRemovedOnTheNextRead() throws Exception {
        // The name another process gives its temporary index file; unlocked, as the system leaves the
        // file of a process that is gone (LeftoversTest shows the lock of a live one keeps it).
        Path killed = Files.writeString(cache.resolve("index-0000000000000-42.json.part"), "{\"format\": 3, \"sou");
        Path older = Files.writeString(cache.resolve("index-1234567.json.part"), "an older Wharf's: not ours to judge");
        assertThat(new IndexFile(cache, "test/packages").read()).isEmpty();
        assertThat(killed).doesNotExist();
        assertThat(older).exists();
    }

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
