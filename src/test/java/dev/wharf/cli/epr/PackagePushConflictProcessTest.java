package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code package-registry push} of a different zip for a version already published is refused
 * before anything is uploaded: the registry holds not one blob more afterwards.
 */
class PackagePushConflictProcessTest {
    @TempDir
    Path dir;

    @Test
    void aDifferentZipForAPublishedVersionIsRefusedAndLeavesNoBlob() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            Path original = dir.resolve("original/acme_logs-1.0.0");
            TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), original);
            Path changed = dir.resolve("changed/acme_logs-1.0.0");
            TestPackages.copyTree(original, changed);
            Files.writeString(changed.resolve("docs/README.md"), "\nChanged after publishing.\n", StandardOpenOption.APPEND);

            assertThat(push(registry, original).waitFor(Duration.ofMinutes(2))).isZero();
            List<Path> before = blobs(registry);

            WharfProcess refused = push(registry, changed);
            assertThat(refused.waitFor(Duration.ofMinutes(2))).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("acme_logs-1.0.0 is already published");
            assertThat(blobs(registry)).as("blobs in the registry's storage").containsExactlyInAnyOrderElementsOf(before);
        }
    }

    private WharfProcess push(DockerRegistryServer registry, Path folder) {
        return WharfProcess.start(dir.resolve("work"), Map.of(), List.of("package-registry", "push",
                "-oci-registry", registry.host(), "-oci-repository", "packages", "-oci-insecure", folder.toString()));
    }

    private static List<Path> blobs(DockerRegistryServer registry) throws IOException {
        try (Stream<Path> files = Files.walk(registry.storageDir().resolve("docker/registry/v2/blobs"))) {
            return files.filter(p -> p.getFileName().toString().equals("data")).toList();
        }
    }
}
