package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same input pushed by two processes (two JVMs, so two iteration orders of every Map.of) into two
 * stores gives byte-identical manifests: every repository's index.json names the same digests.
 */
class ReproducibleManifestsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void anElasticPackagePushedTwiceHasOneDigest() throws IOException {
        Path pkg = dir.resolve("src/acme_logs-1.1.0");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.1.0"), pkg);
        Files.copy(TestPackages.source().resolve("acme_logs/1.1.0.sig"), dir.resolve("src/acme_logs-1.1.0.sig"));
        for (String store : List.of("a", "b")) {
            run("package-registry", "push", "-oci-registry", "oci-layout:" + dir.resolve(store), pkg.toString());
        }
        assertSameIndexes(dir.resolve("a"), dir.resolve("b"), 1);
    }

    @Test
    void aModuleUploadedTwiceHasOneDigest() throws IOException {
        Path modules = Path.of("examples/modules").toAbsolutePath();
        for (String store : List.of("a", "b")) {
            run("boring-registry", "upload", "module", "--storage-oci-layout-dir", dir.resolve(store).toString(), modules.toString());
        }
        assertSameIndexes(dir.resolve("a"), dir.resolve("b"), 1);
    }

    private void run(String... args) {
        try (WharfProcess wharf = WharfProcess.start(dir.resolve("work"), Map.of(), List.of(args))) {
            assertThat(wharf.waitFor(DEADLINE)).as(wharf.output()).isZero();
        }
    }

    private static void assertSameIndexes(Path a, Path b, int atLeast) throws IOException {
        Map<String, String> first = indexes(a);
        assertThat(first).hasSizeGreaterThanOrEqualTo(atLeast);
        assertThat(indexes(b)).isEqualTo(first);
    }

    private static Map<String, String> indexes(Path root) throws IOException {
        Map<String, String> indexes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path index : files.filter(p -> p.getFileName().toString().equals("index.json")).toList()) {
                indexes.put(root.relativize(index).toString(), Files.readString(index));
            }
        }
        return indexes;
    }
}
