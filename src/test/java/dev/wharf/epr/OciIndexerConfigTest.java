package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.index.IndexReport;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.oci.PackageIndexConfig;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.epr.pkg.PackageReader;
import dev.wharf.epr.pkg.ZipPackageFiles;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactConfig;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.testing.LogCapture;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages listed from the document {@code package-registry push} writes into the artifact's config
 * ({@link PackageIndexConfig}): the first index needs the manifests alone, the zips follow behind it
 * and are checked against the configs, and any config the indexer cannot trust sends it to the zip.
 */
class OciIndexerConfigTest {
    private static final List<String> SIX = List.of("acme_logs-1.0.0", "acme_logs-1.1.0", "acme_logs-1.2.0-beta1",
            "gallery-2.0.0", "legacy_stack-1.0.0", "sensor_input-0.3.0");

    @TempDir
    Path dir;

    private ImageLayoutStore layout;
    private CountingArtifactStore store;
    private Path cache;
    private OciIndexer indexer;
    /** Holds the downloads made behind the index until the test lets them go. */
    private final CountDownLatch fillMayGo = new CountDownLatch(1);

    @BeforeEach
    void stores() {
        layout = new ImageLayoutStore(dir.resolve("oci"));
        store = new CountingArtifactStore(layout);
        store.beforeBlob(digest -> {
            if (Thread.currentThread().getName().equals("epr-oci-fill")) {
                try {
                    fillMayGo.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        cache = dir.resolve("cache");
    }

    @AfterEach
    void close() {
        fillMayGo.countDown();
        if (indexer != null) {
            indexer.close();
        }
    }

    private OciIndexer started() throws Exception {
        indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withRequiredSignatures(false)
                .withMaxPackageBytes(64L << 20));
        indexer.start();
        return indexer;
    }

    private OciIndexer filled() throws Exception {
        fillMayGo.countDown();
        return PersistedFirstIndex.await(indexer);
    }

    private long files(String sub) throws Exception {
        if (!Files.isDirectory(cache.resolve(sub))) {
            return 0;
        }
        try (Stream<Path> list = Files.list(cache.resolve(sub))) {
            return list.filter(p -> !p.getFileName().toString().endsWith(".part")).count();
        }
    }

    /** Copies the zip {@code tag}'s manifest in {@code from} names to {@code to}. */
    private static Path copyZip(ImageLayoutStore from, Manifest manifest, String tag, Path to) throws Exception {
        try (InputStream in = from.openBlob(TestPackages.REPOSITORY, OciPackageLayout.zipLayer(manifest, tag).orElseThrow().digest())) {
            Files.copy(in, to);
        }
        return to;
    }

    /** What the reader makes of the zip a tag's manifest names, as the indexer made it before configs. */
    private JsonNode readFromZip(String tag) throws Exception {
        Manifest manifest = layout.resolve(TestPackages.REPOSITORY, tag).orElseThrow();
        Path zip = copyZip(layout, manifest, tag, dir.resolve("read-" + tag + ".zip"));
        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            PackageDocument doc = new PackageReader(true, w -> { }).read(files, OciPackageLayout.signatureLayer(manifest).isPresent());
            return Json.mapper().valueToTree(doc);
        }
    }

    private IndexedPackage listed(String key) {
        return indexer.packages().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void packagesPushedByWharfAreListedFromTheirManifestsAndTheirBlobsFetchedBehind() throws Exception {
        TestPackages.publishAll(layout, dir);
        started();

        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactlyElementsOf(SIX);
        assertThat(store.manifests()).isEqualTo(7);
        assertThat(store.blobs()).as("only broken_pkg's zip, pushed without a config, to refuse it").isEqualTo(1);
        for (String key : SIX) {
            assertThat((JsonNode) Json.mapper().valueToTree(listed(key).document())).as(key).isEqualTo(readFromZip(key));
        }
        assertThat(listed("acme_logs-1.1.0").document().signaturePath).isEqualTo("/epr/acme_logs/acme_logs-1.1.0.zip.sig");

        filled();
        assertThat(store.blobs()).as("then the six zips and the signature").isEqualTo(8);
        assertThat(files("blobs")).as("broken_pkg's zip, refused, is not kept").isEqualTo(6);
        assertThat(files("signatures")).isEqualTo(1);
        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactlyElementsOf(SIX);
        assertThat(indexer.report().leftOut()).extracting(IndexReport.LeftOut::what).containsExactly("broken_pkg-1.0.0");
        JsonNode persisted = Json.mapper().readTree(cache.resolve("index.json").toFile());
        assertThat(persisted.get("packages")).hasSize(SIX.size()).allSatisfy(p -> assertThat(p.get("from_config").asBoolean()).isTrue());
    }

    /**
     * A stop (or the end of {@code -dry-run}) while the fill waits for the registry interrupts it, and
     * a registry client says so as a failure (RegistryTransport: "interrupted while trying to read the
     * blob"). That is the process ending, not the registry failing: no warning that the fill will try
     * again, and no retry scheduled on the stopped fill.
     */
    @Test
    void stoppingWhileTheFillWaitsForTheRegistryEndsItWithoutAWarning() throws Exception {
        TestPackages.publishAll(layout, dir);
        CountDownLatch fillWaiting = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        store.beforeBlob(digest -> {
            if (!Thread.currentThread().getName().equals("epr-oci-fill")) {
                return;
            }
            fillWaiting.countDown();
            try {
                never.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(StorageException.Kind.UNREACHABLE, "interrupted while trying to read the blob " + digest);
            }
        });
        try (LogCapture log = LogCapture.of(Logger.ROOT_LOGGER_NAME)) {
            started();
            assertThat(fillWaiting.await(30, TimeUnit.SECONDS)).as("the fill reached the registry").isTrue();
            indexer.close();
            indexer = null;
            assertThat(log.lines(Level.WARN)).as("warnings but the refusal of broken_pkg, met by the first index")
                    .filteredOn(line -> !line.contains("tag broken_pkg-1.0.0 ")).isEmpty();
        }
    }

    @Test
    void aFileAskedForBeforeTheFillIsServedFromItsCheckedZip() throws Exception {
        TestPackages.publishAll(layout, dir);
        started();
        assertThat(listed("gallery-2.0.0").content().file("manifest.yml")).isPresent();
        Manifest gallery = layout.resolve(TestPackages.REPOSITORY, "gallery-2.0.0").orElseThrow();
        String hex = OciPackageLayout.zipLayer(gallery, "gallery-2.0.0").orElseThrow().digest().hex();
        assertThat(cache.resolve("blobs/sha256-" + hex + ".zip")).as("gallery's zip, fetched for the request").isRegularFile();
        assertThat(store.blobs()).as("broken_pkg's zip, and gallery's").isEqualTo(2);
    }

    /** A config another tool wrote for another zip: gallery's zip under a config that renames its title. */
    private void pushGalleryWithAForgedConfig() throws Exception {
        TestPackages.publishAll(layout, dir.resolve("real"));
        Manifest real = layout.resolve(TestPackages.REPOSITORY, "gallery-2.0.0").orElseThrow();
        Path zip = copyZip(layout, real, "gallery-2.0.0", dir.resolve("gallery-2.0.0.zip"));
        ObjectNode config = (ObjectNode) Json.mapper().readTree(real.config().embedded().orElseThrow());
        ((ObjectNode) config.get("document")).put("title", "Forged gallery");
        layout.push("forged", "gallery-2.0.0", new Artifact(OciPackageLayout.ARTIFACT_TYPE,
                new ArtifactConfig(PackageIndexConfig.MEDIA_TYPE, Json.mapper().writeValueAsBytes(config)),
                List.of(Layer.file(OciPackageLayout.ZIP_MEDIA_TYPE, "gallery-2.0.0.zip", BlobSource.ofFile(zip))), Map.of()), false);
    }

    private OciIndexer startedOn(String repository) throws Exception {
        indexer = new OciIndexer(store, OciIndexerSettings.of(repository, cache).withRequiredSignatures(false));
        indexer.start();
        return indexer;
    }

    @Test
    void aZipThatDisagreesWithItsConfigIsLeftOutWithTheReason() throws Exception {
        pushGalleryWithAForgedConfig();
        startedOn("forged");
        assertThat(listed("gallery-2.0.0").document().title).isEqualTo("Forged gallery");

        filled();
        assertThat(indexer.packages()).isEmpty();
        assertThat(indexer.health().packages()).isZero();
        assertThat(indexer.report().leftOut()).singleElement().satisfies(l -> {
            assertThat(l.what()).isEqualTo("gallery-2.0.0");
            assertThat(l.reason()).contains("the zip disagrees with the package config pushed with it (title)");
        });
        assertThat(files("blobs")).as("the refused zip is not kept").isZero();
        JsonNode persisted = Json.mapper().readTree(cache.resolve("index.json").toFile());
        assertThat(persisted.path("packages").size()).as("no packages left to write").isZero();
        assertThat(persisted.get("rejected").get(0).get("tag").asText()).isEqualTo("gallery-2.0.0");

        // Remembered: the next refresh neither lists it nor fetches it again.
        store.reset();
        indexer.refresh();
        PersistedFirstIndex.await(indexer);
        assertThat(indexer.packages()).isEmpty();
        assertThat(store.blobs()).isZero();
    }

    @Test
    void aRequestThatMeetsTheDisagreementFirstGetsTheReasonAndThePackageIsLeftOut() throws Exception {
        pushGalleryWithAForgedConfig();
        startedOn("forged");
        IndexedPackage forged = listed("gallery-2.0.0");

        // Stored content that failed its check, which the HTTP edge answers 502: not an I/O error (500).
        assertThatThrownBy(() -> forged.content().file("manifest.yml")).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT))
                .hasMessageContaining("tag gallery-2.0.0: the zip disagrees with the package config pushed with it (title)");
        assertThatThrownBy(() -> forged.content().zip().open()).isInstanceOf(StorageException.class).hasMessageContaining("disagrees");
        filled();
        assertThat(indexer.packages()).isEmpty();
    }

    @Test
    void overHttpTheRequestGetsA502InGeneralTermsAndThenA404() throws Exception {
        pushGalleryWithAForgedConfig();
        startedOn("forged");
        EprApi api = new EprApi(indexer, ApiSettings.defaults(), Clock.systemUTC());
        HttpClient http = HttpClient.newHttpClient();
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
            URI readme = URI.create(server.localUri() + "/package/gallery/2.0.0/docs/README.md");
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(readme).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(502);
            // The reason is the operator's (the log and the telemetry address's /health), not an anonymous client's.
            assertThat(first.body()).contains("stored content is unreadable or failed its integrity check").doesNotContain("disagrees");

            filled();
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(readme).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(404);
        }
    }

    private void pushWithConfig(String tag, Path zip, byte[] config) {
        layout.push(TestPackages.REPOSITORY, tag, new Artifact(OciPackageLayout.ARTIFACT_TYPE,
                new ArtifactConfig(PackageIndexConfig.MEDIA_TYPE, config),
                List.of(Layer.file(OciPackageLayout.ZIP_MEDIA_TYPE, tag + ".zip", BlobSource.ofFile(zip))), Map.of()), false);
    }

    @Test
    void aConfigTheIndexerCannotTrustSendsItToTheZip() throws Exception {
        ImageLayoutStore source = new ImageLayoutStore(dir.resolve("source"));
        TestPackages.publishAll(source, dir.resolve("source-work"));
        List<String> tags = List.of("acme_logs-1.0.0", "acme_logs-1.1.0", "acme_logs-1.2.0-beta1", "gallery-2.0.0", "legacy_stack-1.0.0",
                "sensor_input-0.3.0");
        Map<String, ObjectNode> configs = new java.util.HashMap<>();
        for (String tag : tags) {
            Manifest m = source.resolve(TestPackages.REPOSITORY, tag).orElseThrow();
            copyZip(source, m, tag, dir.resolve(tag + ".zip"));
            configs.put(tag, (ObjectNode) Json.mapper().readTree(m.config().embedded().orElseThrow()));
        }
        pushWithConfig("acme_logs-1.0.0", dir.resolve("acme_logs-1.0.0.zip"),
                Json.mapper().writeValueAsBytes(configs.get("acme_logs-1.0.0").put("reader", PackageIndexConfig.READER + 1)));
        pushWithConfig("gallery-2.0.0", dir.resolve("gallery-2.0.0.zip"),
                Json.mapper().writeValueAsBytes(configs.get("gallery-2.0.0").put("validated", false)));
        ObjectNode misnamed = configs.get("legacy_stack-1.0.0");
        ((ObjectNode) misnamed.get("document")).put("version", "9.9.9");
        pushWithConfig("legacy_stack-1.0.0", dir.resolve("legacy_stack-1.0.0.zip"), Json.mapper().writeValueAsBytes(misnamed));
        pushWithConfig("sensor_input-0.3.0", dir.resolve("sensor_input-0.3.0.zip"), "{\"reader\": [".getBytes(StandardCharsets.UTF_8));
        // Not the form Wharf writes: a field no document has, and a null in a list, which the reader never makes.
        ObjectNode unknownField = configs.get("acme_logs-1.1.0");
        ((ObjectNode) unknownField.get("document")).put("injected", "anything");
        pushWithConfig("acme_logs-1.1.0", dir.resolve("acme_logs-1.1.0.zip"), Json.mapper().writeValueAsBytes(unknownField));
        ObjectNode nullInAList = configs.get("acme_logs-1.2.0-beta1");
        ((com.fasterxml.jackson.databind.node.ArrayNode) nullInAList.get("document").get("categories")).addNull();
        pushWithConfig("acme_logs-1.2.0-beta1", dir.resolve("acme_logs-1.2.0-beta1.zip"), Json.mapper().writeValueAsBytes(nullInAList));

        started();
        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactlyElementsOf(tags);
        assertThat(store.blobs()).as("each zip read by the index itself").isEqualTo(6);
        for (String tag : tags) {
            assertThat((JsonNode) Json.mapper().valueToTree(listed(tag).document())).as(tag).isEqualTo(readFromZip(tag));
        }
        assertThat(listed("legacy_stack-1.0.0").versionText()).isEqualTo("1.0.0");
    }

    @Test
    void aConfigTooLargeToEmbedIsFetchedOnce() throws Exception {
        ImageLayoutStore source = new ImageLayoutStore(dir.resolve("source"));
        TestPackages.publishAll(source, dir.resolve("source-work"));
        Manifest m = source.resolve(TestPackages.REPOSITORY, "gallery-2.0.0").orElseThrow();
        Path zip = copyZip(source, m, "gallery-2.0.0", dir.resolve("gallery.zip"));
        ObjectNode config = (ObjectNode) Json.mapper().readTree(m.config().embedded().orElseThrow());
        // Whitespace: the same document, in more bytes than a manifest embeds.
        byte[] padded = (Json.mapper().writeValueAsString(config) + " ".repeat(ArtifactConfig.EMBED_LIMIT)).getBytes(StandardCharsets.UTF_8);
        pushWithConfig("gallery-2.0.0", zip, padded);
        assertThat(layout.resolve(TestPackages.REPOSITORY, "gallery-2.0.0").orElseThrow().config().data()).isNull();

        started();
        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactly("gallery-2.0.0");
        assertThat(store.blobs()).as("the config, not the zip").isEqualTo(1);
        assertThat((JsonNode) Json.mapper().valueToTree(listed("gallery-2.0.0").document())).isEqualTo(readFromZip("gallery-2.0.0"));
    }
}
