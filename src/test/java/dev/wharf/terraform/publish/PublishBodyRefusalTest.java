package dev.wharf.terraform.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.http.access.NewToken;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.OidcScopes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.upload.ModulePublication;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestModules;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies the publish API cannot take as sent, refused with what is wrong in the client's terms. */
class PublishBodyRefusalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TerraformLayout LAYOUT = TestModules.LAYOUT;
    private static final NewToken CI = Publishing.token("ci", "publish:acme/*");

    @TempDir
    Path dir;

    private ArtifactStore store;
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        store = new ImageLayoutStore(dir.resolve("layout"));
        ClientAuthentication auth = new ClientAuthentication(h -> false, false, Optional.empty(),
                Optional.of(new TokensFile(Publishing.writeTokens(dir.resolve("tokens.yaml"), CI), Clock.systemUTC())), OidcScopes.none());
        ProviderService providers = new ProviderService(store, LAYOUT, JSON);
        PublishApi api = new PublishApi(auth, new ModulePublication(store, LAYOUT),
                new ProviderUploader(store, LAYOUT, providers, JSON, new ZipInspector(ArchiveLimits.DEFAULT), m -> { }),
                new SigningKeyUploader(store, LAYOUT, providers, JSON), new PublishAudit(new SimpleMeterRegistry()), 64L << 20, JSON);
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.close();
    }

    private URI url(String path) {
        return URI.create(server.localUri() + path);
    }

    /**
     * A module sent with a Content-Encoding is refused before its body is read: nothing here decodes
     * it, and the bytes had been taken as the archive whatever the coding said (published, where the
     * body says it is br-coded; a tar.gz really gzipped again was refused as "not a tar archive").
     */
    @Test
    void aModuleSentWithAContentEncodingIsRefusedWith415AndNotStored() throws Exception {
        Path module = Files.createDirectories(dir.resolve("module"));
        Files.writeString(module.resolve("main.tf"), "output \"x\" { value = 1 }\n");
        byte[] archive = Files.readAllBytes(Publishing.moduleArchive(module, dir.resolve("module.tar.gz")));
        for (String coding : new String[] {"br", "gzip", "identity, gzip"}) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(url("/api/v1/modules/acme/net/aws/1.0.0"))
                    .header("Authorization", "Bearer " + CI.token()).header("Content-Type", "application/gzip")
                    .header("Content-Encoding", coding).PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(coding + ": " + refused.body()).isEqualTo(415);
            assertThat(refused.body()).contains("Content-Encoding '" + coding + "'", "send it as it is");
            assertThat(refused.headers().firstValue("Accept-Encoding")).hasValue("identity");
        }
        assertThat(new ModulePublication(store, LAYOUT).exists("acme", "net", "aws", "1.0.0")).isFalse();
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(url("/api/v1/modules/acme/net/aws/1.0.0"))
                .header("Authorization", "Bearer " + CI.token()).header("Content-Type", "application/gzip")
                .header("Content-Encoding", "identity").PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(201);
    }

    /** A provider release whose multipart body is broken is told so without naming the server's classes. */
    @Test
    void aBrokenMultipartBodyIsRefusedWithoutTheServersClassNames() throws Exception {
        for (String type : new String[] {"multipart/form-data; boundary=zz", "multipart/form-data"}) {
            HttpResponse<String> refused = Publishing.put(http, url("/api/v1/providers/acme/dummy/1.0.0"), CI.token(), type,
                    HttpRequest.BodyPublishers.ofString("not a form", StandardCharsets.UTF_8));
            assertThat(refused.statusCode()).as(type).isEqualTo(400);
            assertThat(refused.body()).as(type).contains("the multipart body cannot be read: ")
                    .doesNotContain("org.eclipse", "Exception", "jetty");
        }
    }
}
