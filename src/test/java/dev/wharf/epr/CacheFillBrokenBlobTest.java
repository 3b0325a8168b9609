package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.ManualClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fill behind the index when one package's zip is broken in the registry (its bytes are not its
 * digest's): a fault of that blob, not of the registry. It had ended the round, so no package after
 * it was ever kept, and the round ran again every 10 s, downloading the broken zip whole each time,
 * for as long as the server ran. Now that blob is skipped, told once, named by the index's health,
 * and tried again less and less often; the others are kept. A registry that fails as a whole still
 * ends the round. The clock of the back-off is a test clock, and each round is started by a refresh.
 * A client asking for a broken blob while it waits for its next try gets the same 502 at once, without
 * a download; it had downloaded the blob whole again at every request.
 */
class CacheFillBrokenBlobTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private PackagesBehindAFaultProxy packages;
    private FaultProxy proxy;
    private OciIndexer indexer;

    @BeforeEach
    void publish() throws Exception {
        packages = PackagesBehindAFaultProxy.publish(dir);
        proxy = packages.proxy;
        indexer = new OciIndexer(packages.store, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve("cache"))
                .withMaxPackageBytes(64L << 20).withClock(clock));
    }

    @AfterEach
    void stop() {
        indexer.close();
        packages.close();
    }

    @Test
    void aBrokenZipIsSkippedTheOthersAreKeptAndItIsTriedAgainLessAndLessOften() throws Exception {
        String broken = "acme_logs-1.0.0";
        String digest = packages.zipDigest(broken);
        proxy.inject(Fault.WRONG_BYTES, r -> r.isBlobRead() && r.path().endsWith("/" + digest));
        try (LogCapture log = LogCapture.of("dev.wharf")) {
            indexer.start();
            PersistedFirstIndex.await(indexer);

            Map<String, String> zips = zipsFromConfigs();
            assertThat(zips).containsKey(broken).hasSizeGreaterThan(2);
            zips.forEach((tag, zip) -> assertThat(kept(zip)).as(tag).isEqualTo(!tag.equals(broken)));
            IndexHealth health = indexer.health();
            assertThat(health.state()).isEqualTo(IndexHealth.State.DEGRADED);
            assertThat(health.error()).get().asString().contains("cannot fetch the blobs of " + broken, "does not match its digest");

            long tries = packages.fetches(digest);
            assertThat(tries).isPositive();
            roundAfter(Duration.ZERO);
            assertThat(packages.fetches(digest)).as("not due before 10 s").isEqualTo(tries);
            roundAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(digest)).as("due after 10 s").isGreaterThan(tries);
            tries = packages.fetches(digest);
            roundAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(digest)).as("then not due before 20 s").isEqualTo(tries);
            roundAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(digest)).as("due after 20 s").isGreaterThan(tries);
            assertThat(log.lines(Level.WARN)).filteredOn(l -> l.contains(broken)).as("told once").hasSize(1);
            assertThat(indexer.health().error()).get().asString().contains("cannot fetch the blobs of " + broken);

            proxy.heal();
            roundAfter(Duration.ofSeconds(40));
            assertThat(kept(digest)).isTrue();
            assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.HEALTHY);
        }
    }

    @Test
    void aRegistryThatFailsForEveryBlobStillEndsTheRoundAtTheFirst() throws Exception {
        // Not the zip of the package pushed without a config: the index itself reads that one.
        String readByTheIndex = packages.zipDigest("broken_pkg-1.0.0");
        proxy.inject(Fault.STATUS_500, r -> r.isBlobRead() && !r.path().endsWith("/" + readByTheIndex));
        indexer.start();
        PersistedFirstIndex.await(indexer);

        Map<String, String> zips = zipsFromConfigs();
        String first = zips.keySet().iterator().next();
        assertThat(proxy.requests().stream().filter(r -> r.isBlobRead() && !r.path().endsWith("/" + readByTheIndex)).map(r -> r.path())
                .distinct()).singleElement().asString().endsWith(zips.get(first));
        assertThat(indexer.health().error()).get().asString().contains("cannot fetch the blobs of " + first);
    }

    @Test
    void aRequestForABrokenZipWaitingForItsNextTryIsAnsweredAtOnceWithoutADownload() throws Exception {
        String broken = "acme_logs-1.0.0";
        String digest = packages.zipDigest(broken);
        proxy.inject(Fault.WRONG_BYTES, r -> r.isBlobRead() && r.path().endsWith("/" + digest));
        indexer.start();
        PersistedFirstIndex.await(indexer);
        long tries = packages.fetches(digest);
        assertThat(tries).as("the fill tried it").isPositive();
        try (LogCapture log = LogCapture.of("dev.wharf"); WebServer server = serve()) {
            for (String path : List.of("/epr/acme_logs/acme_logs-1.0.0.zip", "/package/acme_logs/1.0.0/manifest.yml")) {
                HttpResponse<String> answer = get(server, path);
                assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(502);
                assertThat(answer.body()).contains("stored content is unreadable or failed its integrity check");
                assertThat(answer.headers().firstValue("Retry-After")).as(path + ": when to ask again").hasValue("10");
            }
            assertThat(packages.fetches(digest)).as("no download while it waits for its next try").isEqualTo(tries);
            assertThat(log.lines(Level.WARN)).filteredOn(l -> l.contains("GET /epr/acme_logs/acme_logs-1.0.0.zip")).singleElement().asString()
                    .contains("the zip of " + broken + " (" + digest + ") is not fetched: it failed 0 s ago",
                            "is tried again at " + T0.plusSeconds(10), "does not match its digest");

            // Due: the request downloads it, and counts its failure as the fill's would be.
            clock.advance(Duration.ofSeconds(10));
            assertThat(get(server, "/epr/acme_logs/acme_logs-1.0.0.zip").statusCode()).isEqualTo(502);
            assertThat(packages.fetches(digest)).as("tried again once due").isEqualTo(tries + 1);
            roundAfter(Duration.ZERO);
            assertThat(packages.fetches(digest)).as("the fill waits 20 s after the request's failure").isEqualTo(tries + 1);
            clock.advance(Duration.ofMillis(500));
            HttpResponse<String> waiting = get(server, "/epr/acme_logs/acme_logs-1.0.0.zip");
            assertThat(waiting.statusCode()).isEqualTo(502);
            assertThat(waiting.headers().firstValue("Retry-After")).as("19.5 s left, rounded up").hasValue("20");
            assertThat(packages.fetches(digest)).isEqualTo(tries + 1);

            proxy.heal();
            clock.advance(Duration.ofMillis(19_500));
            assertThat(get(server, "/epr/acme_logs/acme_logs-1.0.0.zip").statusCode()).isEqualTo(200);
            assertThat(kept(digest)).isTrue();
        }
    }

    @Test
    void aBrokenSignatureWaitsAloneItsPackagesZipIsServed() throws Exception {
        String tag = "acme_logs-1.1.0";
        String signature = packages.direct.resolve(TestPackages.REPOSITORY, tag).orElseThrow().layer(OciPackageLayout.SIGNATURE_MEDIA_TYPE).orElseThrow()
                .digest().toString();
        proxy.inject(Fault.WRONG_BYTES, r -> r.isBlobRead() && r.path().endsWith("/" + signature));
        indexer.start();
        PersistedFirstIndex.await(indexer);
        long tries = packages.fetches(signature);
        assertThat(tries).isPositive();
        try (WebServer server = serve()) {
            assertThat(get(server, "/epr/acme_logs/acme_logs-1.1.0.zip.sig").statusCode()).isEqualTo(502);
            assertThat(get(server, "/epr/acme_logs/acme_logs-1.1.0.zip.sig").statusCode()).isEqualTo(502);
            assertThat(packages.fetches(signature)).as("no download while it waits").isEqualTo(tries);
            assertThat(get(server, "/epr/acme_logs/acme_logs-1.1.0.zip").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBrokenZipOfAPackageReadFromItsZipIsBackedOffAsTheOthersAre() throws Exception {
        String tag = "legacy_stack-1.0.1";
        String digest = pushReadFromItsZip(tag);
        indexer.start();
        PersistedFirstIndex.await(indexer);
        assertThat(kept(digest)).as("read by the index").isTrue();
        // The cache lost it (a clean-up, a disk replaced), and the registry now serves other bytes for it.
        Files.delete(dir.resolve("cache/blobs").resolve(digest.replace(':', '-') + ".zip"));
        proxy.inject(Fault.WRONG_BYTES, r -> r.isBlobRead() && r.path().endsWith("/" + digest));
        long tries = packages.fetches(digest);

        roundAfter(Duration.ZERO);
        assertThat(packages.fetches(digest)).as("tried once").isEqualTo(tries + 1);
        roundAfter(Duration.ZERO);
        assertThat(packages.fetches(digest)).as("not due before 10 s").isEqualTo(tries + 1);
        assertThat(indexer.packages()).as("still listed").anyMatch(p -> p.key().equals(tag));
        assertThat(indexer.health().error()).get().asString().contains("cannot fetch the blobs of " + tag, "does not match its digest");
        try (WebServer server = serve()) {
            for (String path : List.of("/epr/legacy_stack/legacy_stack-1.0.1.zip", "/package/legacy_stack/1.0.1/manifest.yml")) {
                HttpResponse<String> answer = get(server, path);
                assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(502);
                assertThat(answer.headers().firstValue("Retry-After")).as(path + ": when to ask again").hasValue("10");
            }
            assertThat(packages.fetches(digest)).as("no download while it waits for its next try").isEqualTo(tries + 1);
        }
        roundAfter(Duration.ofSeconds(10));
        assertThat(packages.fetches(digest)).as("due after 10 s").isEqualTo(tries + 2);
        roundAfter(Duration.ofSeconds(10));
        assertThat(packages.fetches(digest)).as("then not due before 20 s").isEqualTo(tries + 2);

        proxy.heal();
        roundAfter(Duration.ofSeconds(10));
        assertThat(kept(digest)).isTrue();
        assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.HEALTHY);
    }

    /** Pushes legacy_stack as {@code tag}'s version the way {@code oras push} would, a bare zip the index reads; returns the zip's digest. */
    private String pushReadFromItsZip(String tag) throws Exception {
        TestPackages.pushLegacyStackAsABareZip(packages.direct, dir, tag.substring(tag.lastIndexOf('-') + 1));
        return packages.zipDigest(tag);
    }

    private WebServer serve() {
        EprApi api = new EprApi(indexer, new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), false), Clock.systemUTC());
        return WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register);
    }

    private static HttpResponse<String> get(WebServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.localUri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Lets the test clock run {@code by}, then a refresh, and waits for the fill round it starts. */
    private void roundAfter(Duration by) throws Exception {
        clock.advance(by);
        indexer.refresh();
        PersistedFirstIndex.await(indexer);
    }

    /** The zip digest of every package the index lists from its config, by tag, in the index's order. */
    private Map<String, String> zipsFromConfigs() throws Exception {
        Map<String, String> zips = new LinkedHashMap<>();
        for (JsonNode p : Json.mapper().readTree(dir.resolve("cache/index.json").toFile()).get("packages")) {
            if (p.get("from_config").asBoolean()) {
                zips.put(p.get("tag").asText(), p.get("zip_digest").asText());
            }
        }
        return zips;
    }

    private boolean kept(String digest) {
        return Files.isRegularFile(dir.resolve("cache/blobs").resolve(digest.replace(':', '-') + ".zip"));
    }
}
