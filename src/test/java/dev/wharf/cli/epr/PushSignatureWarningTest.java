package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.testing.WharfProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code push} says when a package has no signature, since the server (signatures required by default) would leave it out. */
class PushSignatureWarningTest {
    @TempDir
    Path dir;

    @Test
    void anUnsignedPackageIsPushedWithAWarningAndASignedOneWithout() throws Exception {
        Path unsigned = dir.resolve("acme_logs-1.0.0");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), unsigned);
        Path signed = dir.resolve("acme_logs-1.1.0");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.1.0"), signed);
        Files.copy(TestPackages.source().resolve("acme_logs/1.1.0.sig"), dir.resolve("acme_logs-1.1.0.sig"));
        try (WharfProcess push = WharfProcess.start(dir.resolve("work"), Map.of(), List.of("package-registry", "push",
                "-oci-registry", "oci-layout:" + dir.resolve("store"), unsigned.toString(), signed.toString()))) {
            assertThat(push.waitFor(Duration.ofSeconds(90))).as(push.output()).isZero();
            List<String> warnings = push.output().lines().filter(l -> l.startsWith("warning:") && l.contains("signature")).toList();
            assertThat(warnings).as(push.output()).containsExactly("warning: acme_logs-1.0.0 has no signature (no acme_logs-1.0.0.sig"
                    + " beside it): a package-registry that requires signatures (-require-package-signatures, the default) will not serve"
                    + " it, and the version is taken (versions are never overwritten); only one started with"
                    + " -require-package-signatures=false serves it");
            assertThat(push.output()).contains("pushed acme_logs-1.1.0 (signed)");
            // A folder is read, then the zip made of it: each of the package's warnings is still said once.
            assertThat(push.output().lines().filter(l -> l.startsWith("warning:") && l.contains("unknown category")).toList())
                    .as(push.output()).containsExactly(
                            "warning: package acme_logs-1.0.0 uses an unknown category, ignored: not_a_category",
                            "warning: package acme_logs-1.1.0 uses an unknown category, ignored: not_a_category");
        }
    }
}
