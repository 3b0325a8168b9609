package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.testing.NpmTools;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renovate 44 itself, as a user runs it: its {@code local} platform in a git work tree whose .tf
 * pins a module of a Wharf registry (over TLS, trusted through {@code NODE_EXTRA_CA_CERTS}) at
 * 1.0.0. Renovate must find 1.1.0 through the module registry protocol's {@code /versions} and take
 * the changelog link from the {@code source} Wharf serves there. Installs renovate and Node 24 from
 * the npm registry (once; kept under target/npm-tools); skipped, saying so, where that registry is
 * unreachable.
 */
class RenovateLookupTest {
    private static final String SOURCE = "https://git.example.com/acme/terraform-aws-vpc";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void renovateProposesTheNewerModuleVersionAndReadsItsSource() throws Exception {
        Path git = RequiredTool.require("git", "git");
        NpmTools tools = NpmTools.install("renovate", List.of("renovate@44", "node@24"), List.of("renovate", "node"));

        TerraformLayout layout = TerraformLayout.under("boring-registry");
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            push(store, layout, "1.0.0");
            push(store, layout, "1.1.0");
            Path cert = TestCertificates.localhost().writePem(dir.resolve("tls"));
            TerraformApi api = new TerraformApi(new ModuleService(store, layout), new ProviderService(store, layout, JSON),
                    ClientAuthentication.open(), Optional::empty, FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, JSON,
                    new ReadyAnswers(1L << 20));
            try (WebServer wharf = WebServer.start(ListenAddress.parse("127.0.0.1:0"),
                    Optional.of(new TlsFiles(cert, cert.resolveSibling("key.pem"), Optional.empty())), api::register)) {
                String host = "127.0.0.1:" + wharf.localUri().getPort();
                Path repo = workTree(git, host);
                List<JsonNode> log = renovate(tools, repo, cert);

                JsonNode dep = dependency(log, host + "/acme/vpc/aws");
                assertThat(dep.path("datasource").asText()).isEqualTo("terraform-module");
                assertThat(dep.path("currentValue").asText()).isEqualTo("1.0.0");
                assertThat(dep.path("sourceUrl").asText()).isEqualTo(SOURCE);
                List<String> proposed = new ArrayList<>();
                dep.path("updates").forEach(u -> proposed.add(u.path("newVersion").asText()));
                assertThat(proposed).containsExactly("1.1.0");
            }
        }
    }

    private static void push(ArtifactStore store, TerraformLayout layout, String version) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("main.tf"));
            out.write(("output \"version\" { value = \"" + version + "\" }\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Map<String, String> annotations = new HashMap<>(StandardAnnotations.of("vpc", version, Instant.parse("2026-11-02T10:00:00Z")));
        annotations.put(StandardAnnotations.SOURCE, SOURCE);
        store.push(layout.moduleRepository("acme", "vpc", "aws"), layout.moduleTag("acme", "vpc", "aws", version),
                new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_ZIP, "module.zip", BlobSource.ofBytes(zip.toByteArray()))),
                        annotations), false);
    }

    /** A git work tree with one commit: main.tf using the module at 1.0.0. */
    private Path workTree(Path git, String host) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("infra"));
        Files.writeString(repo.resolve("main.tf"), """
                module "vpc" {
                  source  = "%s/acme/vpc/aws"
                  version = "1.0.0"
                }
                """.formatted(host));
        Files.writeString(repo.resolve("renovate.json"), "{\"enabledManagers\": [\"terraform\"]}\n");
        run(repo, List.of(git.toString(), "init", "-q", "-b", "main"));
        run(repo, List.of(git.toString(), "add", "."));
        run(repo, List.of(git.toString(), "-c", "user.name=Wharf test", "-c", "user.email=test@wharf.invalid", "commit", "-q", "-m", "infra"));
        return repo;
    }

    /** Renovate's JSON log lines of a lookup-only dry run. */
    private List<JsonNode> renovate(NpmTools tools, Path repo, Path cert) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder builder = new ProcessBuilder(tools.bin("renovate").toString(), "--platform=local", "--dry-run=lookup")
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("renovate.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", tools.path());
        env.put("HOME", home.toString());
        env.put("NODE_EXTRA_CA_CERTS", cert.toString());
        env.put("LOG_LEVEL", "debug");
        env.put("LOG_FORMAT", "json");
        env.put("RENOVATE_BASE_DIR", Files.createDirectories(dir.resolve("renovate-base")).toString());
        env.put("RENOVATE_X_IGNORE_NODE_WARN", "true");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("renovate did not finish in 5 minutes; see " + dir.resolve("renovate.log"));
        }
        String output = Files.readString(dir.resolve("renovate.log"));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "renovate-lookup.log"), output);
        assertThat(process.exitValue()).as("renovate's exit code; its log is in target/renovate-lookup.log").isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** The dependency {@code depName} from the log's "packageFiles with updates" record. */
    private static JsonNode dependency(List<JsonNode> log, String depName) {
        for (JsonNode line : log) {
            if (line.path("msg").asText().equals("packageFiles with updates")) {
                for (JsonNode file : line.path("config").path("terraform")) {
                    for (JsonNode dep : file.path("deps")) {
                        if (dep.path("depName").asText().equals(depName)) {
                            return dep;
                        }
                    }
                }
            }
        }
        throw new AssertionError("renovate's log (target/renovate-lookup.log) lists no terraform dependency " + depName);
    }

    private static void run(Path dir, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
