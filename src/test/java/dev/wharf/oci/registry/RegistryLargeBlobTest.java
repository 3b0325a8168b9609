package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.DockerRegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 300 MB blob pushed and read back by a forked JVM whose heap is 128 MB: it can only pass if
 * both directions stream. The figures are printed for the closing note, not asserted.
 */
class RegistryLargeBlobTest {
    private static final long SIZE = 300L << 20;

    @TempDir
    Path tmp;

    @Test
    void threeHundredMegabytesRoundTripInA128MegabyteHeap() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(tmp.resolve("registry"))) {
            Path output = tmp.resolve("fork.out");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process fork = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    LargeBlobRoundTrip.class.getName(), "http://" + registry.host(), tmp.resolve("large.bin").toString(),
                    Long.toString(SIZE))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished = fork.waitFor(10, TimeUnit.MINUTES);
            if (!finished) {
                fork.destroyForcibly().waitFor();
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            System.out.println("300 MB round trip in a forked JVM with -Xmx128m:\n" + out);
            assertThat(finished).as("fork finished").isTrue();
            assertThat(fork.exitValue()).as("fork exit; output:\n" + out + "\n" + registry.log()).isZero();
            List<String> lines = out.lines().toList();
            assertThat(lines).contains("SIZE_MB=300");
            long peak = Long.parseLong(lines.stream().filter(l -> l.startsWith("PEAK_HEAP_MB=")).findFirst().orElseThrow().substring(13));
            assertThat(peak).isLessThanOrEqualTo(128);
        } finally {
            Files.deleteIfExists(tmp.resolve("large.bin"));
        }
    }
}
