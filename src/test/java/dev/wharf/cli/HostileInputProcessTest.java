package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.TestPackages;
import dev.wharf.oci.Digest;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.testing.HostileZips;
import dev.wharf.testing.HostileZips.Bomb;
import dev.wharf.testing.HostileZips.Entry;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input through the real command lines, each in a JVM of its own, with the embedded OCI
 * image layout as storage: one clear error, exit status 1, nothing stored, nothing from outside the
 * input quoted; and a package-registry serving a folder with links out of it serves none of it.
 */
class HostileInputProcessTest {
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final String SECRET = "root:$6$not-a-real-hash:19000:0:99999:7:::";
    private static final TerraformLayout LAYOUT = TerraformLayout.under("boring-registry");

    @TempDir
    Path dir;
    private Path outside;
    private Path layout;

    @BeforeEach
    void setUp() throws Exception {
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("shadow"), SECRET + "\n");
        layout = dir.resolve("oci");
    }

    @Test
    void uploadModuleRefusesAFileNamedWithBackslashesASymlinkedSpecAndAnUnreadableVersion() throws Exception {
        Path backslash = module(dir.resolve("backslash"), "1.0.0");
        Files.writeString(backslash.resolve("..\\..\\..\\..\\etc\\hostname"), "not the host name");
        String out = fails(List.of("boring-registry", "upload", "module", "--storage-oci-layout-dir", layout.toString(), backslash.toString()));
        assertThat(out).contains("boring-registry: cannot archive", "file '..\\\\..\\\\..\\\\..\\\\etc\\\\hostname' has a backslash in its name");

        Path linked = Files.createDirectories(dir.resolve("linked"));
        Files.writeString(linked.resolve("main.tf"), "# module\n");
        Files.createSymbolicLink(linked.resolve("boring-registry.hcl"), outside.resolve("shadow"));
        out = fails(List.of("boring-registry", "upload", "module", "--storage-oci-layout-dir", layout.toString(), linked.toString()));
        assertThat(out).contains("is a symbolic link").doesNotContain("root").doesNotContain("$6$");

        Path huge = module(dir.resolve("huge"), "99999999999999999999.0.0");
        out = fails(List.of("boring-registry", "upload", "module", "--storage-oci-layout-dir", layout.toString(), huge.toString()));
        assertThat(out).contains("99999999999999999999", "64-bit");

        assertThat(new ImageLayoutStore(layout).listTags(LAYOUT.moduleRepository("acme", "vpc", "aws"))).isEmpty();
    }

    @Test
    void uploadProviderRefusesACorrectlySignedZipSlipAndABombWithItsLimitFromTheEnvironment() throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf Hostile <hostile@example.test>");
        Path armored = Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey());
        ObjectMapper json = new ObjectMapper();
        ImageLayoutStore store = new ImageLayoutStore(layout);
        new SigningKeyUploader(store, LAYOUT, new ProviderService(store, LAYOUT, json), json).add("acme", armored);

        Path slip = release(dir.resolve("slip"), key, List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"),
                Entry.file("../../../../tmp/x", "pwned"), Entry.file("/etc/abs", "pwned")), List.of());
        String out = fails(List.of("boring-registry", "upload", "provider", "--storage-oci-layout-dir", layout.toString(),
                "--namespace", "acme", "--filename-sha256sums", slip.toString()));
        assertThat(out).contains("is refused: entry '../../../../tmp/x' climbs out of the root");

        Path bomb = release(dir.resolve("bomb"), key, List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n")),
                List.of(Bomb.honest("LICENSE", 64L << 20)));
        out = fails(Map.of("BORING_REGISTRY_MAX_ARCHIVE_UNCOMPRESSED_SIZE", String.valueOf(32L << 20),
                        "BORING_REGISTRY_MAX_ARCHIVE_COMPRESSION_RATIO", "1000000"),
                List.of("boring-registry", "upload", "provider", "--storage-oci-layout-dir", layout.toString(),
                        "--namespace", "acme", "--filename-sha256sums", bomb.toString()));
        assertThat(out).contains("more than the uncompressed size limit");

        assertThat(new ImageLayoutStore(layout).listTags(LAYOUT.providerRepository("acme", "dummy"))).isEmpty();
    }

    @Test
    void packageRegistryPushRefusesABombAndAFolderWithLinksOut() throws Exception {
        String registry = "oci-layout:" + layout;
        Path bomb = HostileZips.write(dir.resolve("bomb-1.0.0.zip"), List.of(Entry.file("bomb-1.0.0/manifest.yml", manifest("bomb"))),
                List.of(Bomb.honest("bomb-1.0.0/docs/README.md", 2048L << 20), Bomb.honest("bomb-1.0.0/changelog.yml", 1024L << 20)));
        assertThat(Files.size(bomb)).isLessThan(4L << 20);
        String out = fails(List.of("package-registry", "push", "-oci-registry", registry, bomb.toString()));
        assertThat(out).contains("push " + bomb, "compression ratio");

        Path folder = dir.resolve("linked/acme_logs/1.0.0");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), folder);
        Files.createSymbolicLink(folder.resolve("docs/etc"), outside);
        out = fails(List.of("package-registry", "push", "-oci-registry", registry, folder.toString()));
        assertThat(out).contains("'docs/etc' is a symbolic link leading out of the package folder").doesNotContain(SECRET);

        Path plain = dir.resolve("plain/acme_logs/1.1.0");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.1.0"), plain);
        out = fails(Map.of("EPR_MAX_PACKAGE_UNCOMPRESSED_SIZE", "100"), List.of("package-registry", "push", "-oci-registry", registry, plain.toString()));
        assertThat(out).contains("more than 100 bytes, the uncompressed size limit");

        assertThat(new ImageLayoutStore(layout).listTags("packages")).isEmpty();
    }

    @Test
    void packageRegistryServesNothingThroughLinksOutOfAPackageFolder() throws Exception {
        Path work = Files.createDirectories(dir.resolve("serve"));
        Path linked = work.resolve("packages/acme_logs/1.0.0");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), linked);
        Files.createSymbolicLink(linked.resolve("docs/etc"), outside);
        Files.createSymbolicLink(linked.resolve("docs/secret.md"), outside.resolve("shadow"));
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.1.0"), work.resolve("packages/acme_logs/1.1.0"));
        Files.writeString(work.resolve("config.yml"), "package_paths: [packages]\n");
        int port = TestPorts.free();
        try (WharfProcess serve = WharfProcess.start(work, Map.of(), List.of("package-registry", "-address", "127.0.0.1:" + port,
                "-require-package-signatures=false"))) {
            serve.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), DEADLINE);
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/package/acme_logs/1.0.0/docs/etc/shadow", "/package/acme_logs/1.0.0/docs/secret.md")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).doesNotContain(SECRET);
            }
            HttpResponse<String> search = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/search?all=true")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(search.body()).contains("\"1.1.0\"").doesNotContain("\"1.0.0\"");
            assertThat(serve.output()).contains("symbolic link leading out of the package folder").doesNotContain(SECRET);
        }
    }

    private String fails(List<String> args) {
        return fails(Map.of(), args);
    }

    private String fails(Map<String, String> env, List<String> args) {
        try (WharfProcess process = WharfProcess.start(dir.resolve("run"), env, args)) {
            int status = process.waitFor(DEADLINE);
            assertThat(status).as(process.output()).isEqualTo(1);
            assertThat(process.output()).doesNotContain("\tat ");
            return process.output();
        }
    }

    private static Path module(Path root, String version) throws Exception {
        Files.createDirectories(root);
        Files.writeString(root.resolve("boring-registry.hcl"),
                "metadata {\n namespace = \"acme\"\n name = \"vpc\"\n provider = \"aws\"\n version = \"" + version + "\"\n}\n");
        Files.writeString(root.resolve("main.tf"), "# module\n");
        return root;
    }

    private static Path release(Path releaseDir, PgpKeys key, List<Entry> entries, List<Bomb> bombs) throws Exception {
        Files.createDirectories(releaseDir);
        String name = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
        Path zip = HostileZips.write(releaseDir.resolve(name), new ArrayList<>(entries), bombs);
        String sums = Digest.sha256(Files.readAllBytes(zip)).hex() + "  " + name + "\n";
        Path sumsFile = Files.writeString(releaseDir.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Files.write(releaseDir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums.getBytes(StandardCharsets.UTF_8)));
        return sumsFile;
    }

    private static String manifest(String name) {
        return """
                format_version: 3.0.0
                name: %s
                title: Hostile
                version: 1.0.0
                description: A package made to attack whoever unpacks it.
                type: integration
                owner:
                  github: wharf/integrations
                  type: community
                """.formatted(name);
    }
}
