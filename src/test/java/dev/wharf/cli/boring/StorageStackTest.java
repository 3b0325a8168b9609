package dev.wharf.cli.boring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class StorageStackTest {
    @TempDir
    Path dir;

    /** The embedded layout's files are on this disk already: the flag is said to do nothing, not left to look as if it did. */
    @Test
    void aDownloadCacheOverTheEmbeddedLayoutIsSaidToBeUnused() {
        String name = StorageStackTest.class.getName();
        GlobalOptions embedded = new GlobalOptions();
        new CommandLine(embedded).parseArgs(); // the flags' defaults: no registry
        try (LogCapture log = LogCapture.of(name)) {
            StorageStack stack = StorageStack.over(new ImageLayoutStore(dir.resolve("data")), embedded, dir.resolve("cache").toString(),
                    64, Duration.ofSeconds(5), Duration.ofSeconds(5), LoggerFactory.getLogger(name));
            stack.cached().close();
            assertThat(log.lines(Level.INFO)).anyMatch(l -> l.contains("--download-cache-dir is not used with the embedded OCI image layout"));
            assertThat(dir.resolve("cache")).doesNotExist();
        }
    }
}
