package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package zip whose one root folder is not named {@code {name}-{version}}: EPR 1.40 takes the first
 * top-level folder holding {@code manifest.yml} as the package, whatever its name, and serves the
 * package, its files and the zip as it is. Both indexers do the same.
 */
class ZipRootFolderTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theFileSystemIndexerServesItAsEprDoes() throws Exception {
        Path packages = dir.resolve("packages");
        Path zip = packages.resolve("gallery-2.0.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), "unpacked", zip);
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(packages), true, false, ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        assertServed(indexer, zip);
    }

    @Test
    void theOciIndexerServesItAsEprDoes() throws Exception {
        Path zip = dir.resolve("gallery-2.0.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), "gallery", zip);
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.pushRaw(store, "gallery-2.0.0", OciPackageLayout.ZIP_MEDIA_TYPE, zip);
        OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve("cache")));
        indexer.start();
        assertServed(indexer, zip);
    }

    private void assertServed(Indexer indexer, Path zip) throws Exception {
        EprApi api = new EprApi(indexer, ApiSettings.defaults(), Clock.systemUTC());
        try (indexer; WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
            String base = server.localUri().toString();
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(base + "/package/gallery/2.0.0/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(info.body()).isEqualTo(Files.readString(Path.of("src/test/resources/epr/expected/package-gallery-2.0.0.json")));
            assertThat(get(base + "/package/gallery/2.0.0/docs/README.md"))
                    .isEqualTo(Files.readAllBytes(TestPackages.source().resolve("gallery/2.0.0/docs/README.md")));
            assertThat(get(base + "/epr/gallery/gallery-2.0.0.zip")).isEqualTo(Files.readAllBytes(zip));
        }
    }

    private byte[] get(String uri) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(uri).isEqualTo(200);
        return r.body();
    }
}
