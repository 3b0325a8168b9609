package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.TestPackages;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
        assertStandardAnnotations(dir.resolve("a"), "acme_logs-1.1.0", "1.1.0");
    }

    @Test
    void aModuleUploadedTwiceHasOneDigest() throws IOException {
        Path modules = Path.of("examples/modules").toAbsolutePath();
        for (String store : List.of("a", "b")) {
            run("boring-registry", "upload", "module", "--storage-oci-layout-dir", dir.resolve(store).toString(), modules.toString());
        }
        assertSameIndexes(dir.resolve("a"), dir.resolve("b"), 1);
        assertStandardAnnotations(dir.resolve("a"), "example-hello-null-1.0.0.tar.gz", "1.0.0");
    }

    @Test
    void aProviderReleaseAndItsSigningKeysUploadedTwiceHaveOneDigestEach() throws Exception {
        RequiredTool.require("gpg", "gpg");
        RequiredTool.require("zip", "zip");
        Path work = Files.createDirectories(dir.resolve("release-work"));
        Files.createSymbolicLink(work.resolve("bin"), Path.of("bin").toAbsolutePath());
        Files.createSymbolicLink(work.resolve("examples"), Path.of("examples").toAbsolutePath());
        ProcessBuilder script = new ProcessBuilder("sh", "-c", "examples/providers/release.sh").directory(work.toFile())
                .redirectErrorStream(true);
        script.environment().putAll(dev.wharf.testing.WharfProcess.launcherEnvironment());
        script.environment().put("BORING_REGISTRY_STORAGE_OCI_LAYOUT_DIR", dir.resolve("a").toString());
        Process release = script.start();
        String out = new String(release.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(release.waitFor()).as(out).isZero();
        Path files = work.resolve("release/terraform-provider-dummy_1.0.0");
        run("boring-registry", "upload", "signing-key", "--namespace", "acme", "--storage-oci-layout-dir", dir.resolve("b").toString(),
                files.resolve("signing-key.asc").toString());
        run("boring-registry", "upload", "provider", "--namespace", "acme", "--storage-oci-layout-dir", dir.resolve("b").toString(),
                "--filename-sha256sums", files.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS").toString());
        assertSameIndexes(dir.resolve("a"), dir.resolve("b"), 2);
        assertStandardAnnotations(dir.resolve("a"), "terraform-provider-dummy_1.0.0_SHA256SUMS", "1.0.0");
    }

    @Test
    void aMirrorDirectoryUploadedTwiceHasOneDigest() throws Exception {
        Path provider = Files.createDirectories(dir.resolve("mirror/registry.example.test/acme/dummy"));
        Path zip = provider.resolve("terraform-provider-dummy_1.0.0_linux_amd64.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("terraform-provider-dummy_v1.0.0");
            entry.setTime(315532800000L);
            out.putNextEntry(entry);
            out.write("#!/bin/sh\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.writeString(provider.resolve("index.json"), "{\"versions\":{\"1.0.0\":{}}}");
        Files.writeString(provider.resolve("1.0.0.json"), "{\"archives\":{\"linux_amd64\":{\"hashes\":[\""
                + dev.wharf.terraform.mirror.PackageHashes.h1Of(zip) + "\"],\"url\":\"" + zip.getFileName() + "\"}}}");
        for (String store : List.of("a", "b")) {
            run("boring-registry", "upload", "mirror", "--storage-oci-layout-dir", dir.resolve(store).toString(),
                    dir.resolve("mirror").toString());
        }
        assertSameIndexes(dir.resolve("a"), dir.resolve("b"), 1);
        assertTitleAndVersion(dir.resolve("a"), zip.getFileName().toString(), "1.0.0");
    }

    /** Some manifest in the layout under {@code root} is titled {@code title} and carries version and created. */
    private static void assertStandardAnnotations(Path root, String title, String version) throws IOException {
        List<JsonNode> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path index : files.filter(p -> p.getFileName().toString().equals("index.json")).toList()) {
                for (JsonNode entry : JSON.readTree(index.toFile()).path("manifests")) {
                    String digest = entry.path("digest").asText();
                    manifests.add(JSON.readTree(index.resolveSibling("blobs/sha256/" + digest.substring("sha256:".length())).toFile()));
                }
            }
        }
        assertThat(manifests).anySatisfy(m -> {
            JsonNode a = m.path("annotations");
            assertThat(a.path("org.opencontainers.image.title").asText()).isEqualTo(title);
            assertThat(a.path("org.opencontainers.image.version").asText()).isEqualTo(version);
            assertThat(Instant.parse(a.path("org.opencontainers.image.created").asText())).isAfter(Instant.EPOCH);
        });
    }

    /** As above, for mirrored archives, which have no input time to date them by. */
    private static void assertTitleAndVersion(Path root, String title, String version) throws IOException {
        List<JsonNode> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path index : files.filter(p -> p.getFileName().toString().equals("index.json")).toList()) {
                for (JsonNode entry : JSON.readTree(index.toFile()).path("manifests")) {
                    String digest = entry.path("digest").asText();
                    manifests.add(JSON.readTree(index.resolveSibling("blobs/sha256/" + digest.substring("sha256:".length())).toFile()));
                }
            }
        }
        assertThat(manifests).anySatisfy(m -> {
            assertThat(m.path("annotations").path("org.opencontainers.image.title").asText()).isEqualTo(title);
            assertThat(m.path("annotations").path("org.opencontainers.image.version").asText()).isEqualTo(version);
        });
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
