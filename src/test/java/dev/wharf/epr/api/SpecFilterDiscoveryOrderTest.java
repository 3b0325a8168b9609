package dev.wharf.epr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * When several packages lack a format version, a spec filter's error names the first EPR finds:
 * its zip indexer walks each folder's entries by name (Go's filepath.WalkDir), so the zip in
 * {@code z/} comes before the one in {@code z-extra/}, though the whole path
 * {@code z-extra/alpha-1.0.0.zip} sorts first as a string ('-' is below '/').
 */
class SpecFilterDiscoveryOrderTest {
    @Test
    void theErrorNamesThePackageEprFindsFirst() throws Exception {
        try (FolderPackagesServer epr = FolderPackagesServer.start("epr-spec-order-", SpecFilterDiscoveryOrderTest::layout, false)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(epr.uri("/search?spec.min=3.0")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("fetching package failed: can't compare spec version for zeta (3.0.0-<nil>): "
                    + "package spec version is not set\n");
        }
    }

    private static Path layout(Path dir) throws IOException {
        Path root = dir.resolve("packages");
        zip(Files.createDirectories(root.resolve("z")), "zeta");
        zip(Files.createDirectories(root.resolve("z-extra")), "alpha");
        return root;
    }

    /** A package zip without a format version, which only validation off lets in. */
    private static void zip(Path folder, String name) throws IOException {
        String top = name + "-1.0.0/";
        try (OutputStream file = Files.newOutputStream(folder.resolve(name + "-1.0.0.zip")); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry(top + "manifest.yml"));
            out.write(("name: " + name + "\ntitle: T\nversion: 1.0.0\ndescription: A package.\ntype: integration\n"
                    + "categories:\n  - security\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry(top + "docs/README.md"));
            out.write("# T\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
