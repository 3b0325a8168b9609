package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.epr.publish.PackageUploadApi;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.RequestIds;
import dev.wharf.http.WebServer;
import dev.wharf.http.access.NewToken;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.layout.BoundedLayouts;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.OidcScopes;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.publish.PublishApi;
import dev.wharf.terraform.upload.ModulePublication;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestModules;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish into a repository of the embedded layout that holds as many tags as the layout keeps in one is
 * refused 507 in words that say so (the bound, the count, what an operator can do), not as a disk that refused a
 * write: a publisher told that looked for a full disk. Both launchers' publish APIs, and {@code upload --server}.
 * The layouts here keep two tags a repository: the real bound, 500 000, is the same code.
 */
class RepositoryFullPublishTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FULL = "the embedded OCI layout keeps at most 2 tags in one repository and this one holds 2, so the new"
            + " tag is refused: an operator can delete old versions, or move the storage to an OCI registry";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void boringRegistrysPublishApiAndUploadWithServerSayTheRepositoryIsFull() throws Exception {
        NewToken ci = Publishing.token("ci", "publish:acme/*");
        ClientAuthentication auth = new ClientAuthentication(h -> false, false, Optional.empty(),
                Optional.of(new TokensFile(Publishing.writeTokens(dir.resolve("tokens.yaml"), ci), Clock.systemUTC())), OidcScopes.none());
        try (ArtifactStore store = BoundedLayouts.holdingAtMost(dir.resolve("layout"), 2)) {
            ProviderService providers = new ProviderService(store, TestModules.LAYOUT, JSON);
            PublishApi api = new PublishApi(auth, new ModulePublication(store, TestModules.LAYOUT),
                    new ProviderUploader(store, TestModules.LAYOUT, providers, JSON, new ZipInspector(ArchiveLimits.DEFAULT), m -> { }),
                    new SigningKeyUploader(store, TestModules.LAYOUT, providers, JSON), new PublishAudit(new SimpleMeterRegistry()),
                    64L << 20, JSON);
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
                Path module = TestModules.write(dir.resolve("module"), "net", "1.0.0", "a module");
                byte[] archive = Files.readAllBytes(Publishing.moduleArchive(module, dir.resolve("net.tar.gz")));
                for (String version : new String[] {"1.0.0", "1.0.1"}) {
                    assertThat(putModule(server, ci, version, archive).statusCode()).as(version).isEqualTo(201);
                }

                HttpResponse<String> refused = putModule(server, ci, "1.0.2", archive);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
                String id = refused.headers().firstValue(RequestIds.HEADER).orElseThrow();
                assertThat(JSON.readTree(refused.body()).path("errors").get(0).asText())
                        .isEqualTo(FULL + " (request id " + id + "; the server log has the details)");
                assertThat(new ModulePublication(store, TestModules.LAYOUT).exists("acme", "net", "aws", "1.0.2")).isFalse();

                StringWriter err = new StringWriter();
                int exit = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                        .execute("upload", "module", "--recursive=false", "--server", server.localUri().toString(), "--token", ci.token(),
                                TestModules.write(dir.resolve("next"), "net", "1.0.3", "a module").toString());
                assertThat(exit).as(err.toString()).isEqualTo(1);
                assertThat(err.toString()).contains(FULL).doesNotContain("disk");
            }
        }
    }

    @Test
    void packageRegistrysUploadApiSaysTheRepositoryIsFull() throws Exception {
        NewToken ci = Publishing.token("ci", "publish:*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        try (ArtifactStore store = BoundedLayouts.holdingAtMost(dir.resolve("layout"), 2)) {
            PackageUploadApi api = new PackageUploadApi(new TokensFile(tokens, Clock.systemUTC()),
                    new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true), () -> { },
                    new PublishAudit(new SimpleMeterRegistry()), 64L << 20);
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
                URI upload = URI.create(server.localUri() + PackageUploadApi.PATH);
                for (String name : new String[] {"gallery-2.0.0", "legacy_stack-1.0.0"}) {
                    HttpResponse<String> stored = Publishing.put(http, upload, ci.token(), "application/zip",
                            HttpRequest.BodyPublishers.ofFile(zip(name)));
                    assertThat(stored.statusCode()).as(name + ": " + stored.body()).isEqualTo(201);
                }

                HttpResponse<String> refused = Publishing.put(http, upload, ci.token(), "application/zip",
                        HttpRequest.BodyPublishers.ofFile(zip("sensor_input-0.3.0")));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
                assertThat(JSON.readTree(refused.body()).path("message").asText()).contains(FULL).doesNotContain("disk");
                assertThat(store.listTags(TestPackages.REPOSITORY)).containsExactlyInAnyOrder("gallery-2.0.0", "legacy_stack-1.0.0");
            }
        }
    }

    private HttpResponse<String> putModule(WebServer server, NewToken token, String version, byte[] archive) throws Exception {
        return Publishing.put(http, URI.create(server.localUri() + "/api/v1/modules/acme/net/aws/" + version), token.token(),
                "application/gzip", HttpRequest.BodyPublishers.ofByteArray(archive));
    }

    /** The test package {@code NAME-VERSION} zipped as a publisher sends it. */
    private Path zip(String tag) throws Exception {
        int dash = tag.lastIndexOf('-');
        Path zip = dir.resolve(tag + ".zip");
        TestPackages.zipFolder(TestPackages.source().resolve(tag.substring(0, dash) + "/" + tag.substring(dash + 1)), tag, zip);
        return zip;
    }
}
