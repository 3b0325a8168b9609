package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.model.Versions;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.WebServer;
import dev.wharf.oci.archive.ArchiveLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semver4j.Semver;

/**
 * Versions in EPR's order, Masterminds': a prerelease's identifiers that are not numbers compare as
 * text, so 1.0.0-beta10 comes before 1.0.0-beta9 (semver4j, which Wharf parses with, puts it after;
 * Fleet was offered beta10 as the newest where EPR offers beta9).
 */
class PrereleaseOrderTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theNewestPrereleaseAndTheOrderOfAllAreEprs() throws Exception {
        Path paths = Files.createDirectories(dir.resolve("packages"));
        for (String version : List.of("1.0.0-beta9", "1.0.0-beta10", "1.0.0-rc.2", "1.0.0-rc.10")) {
            Path to = paths.resolve("sensor_input").resolve(version);
            TestPackages.copyTree(TestPackages.source().resolve("sensor_input/0.3.0"), to);
            Path manifest = to.resolve("manifest.yml");
            Files.writeString(manifest, Files.readString(manifest).replace("version: 0.3.0", "version: " + version));
        }
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(paths), false, false, ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        EprApi api = new EprApi(indexer, new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), false), Clock.systemUTC(), ready);
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready), (r, m, s, t) -> { },
                api::register)) {
            assertThat(versions(server, "/search?package=sensor_input&prerelease=true")).containsExactly("1.0.0-rc.10");
            assertThat(versions(server, "/search?package=sensor_input&prerelease=true&all=true"))
                    .containsExactly("1.0.0-beta10", "1.0.0-beta9", "1.0.0-rc.2", "1.0.0-rc.10");
        }
    }

    @Test
    void precedenceIsMastermindsCompare() {
        List<String> ordered = List.of("0.9.0", "1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-a", "1.0.0-a.1", "1.0.0-a.b", "1.0.0-alpha",
                "1.0.0-alpha.2", "1.0.0-alpha.10", "1.0.0-beta10", "1.0.0-beta9", "1.0.0", "1.0.1", "1.10.0", "2.0.0");
        List<Semver> shuffled = new ArrayList<>(ordered.stream().map(Semver::parse).toList());
        Collections.reverse(shuffled);
        shuffled.sort(Versions.PRECEDENCE);
        assertThat(shuffled).extracting(Semver::getVersion).containsExactlyElementsOf(ordered);
        assertThat(Versions.compare(Semver.parse("1.0.0+a"), Semver.parse("1.0.0+b"))).isZero();
    }

    private List<String> versions(WebServer server, String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.localUri() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode p : json.readTree(answer.body())) {
            out.add(p.get("version").asText());
        }
        return out;
    }
}
