package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.LogCapture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TerraformApiOnDockerRegistryTest extends TerraformApiScenarios {
    DockerRegistryServer registry;

    @Override
    ArtifactStore newStore() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        return new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()));
    }

    @Override
    Path blobFile(String repository, Digest digest) {
        return registry.storageDir().resolve("docker/registry/v2/blobs/" + digest.algorithm() + "/" + digest.hex().substring(0, 2) + "/"
                + digest.hex() + "/data");
    }

    @Override
    boolean servesParts() {
        return false;
    }

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aRegistryThatIsDownGives503InGeneralTermsWithARequestIdAndNeitherAddressNorStackTrace() throws Exception {
        registry.stop();
        CachingArtifactStore down = new CachingArtifactStore(new RegistryArtifactStore(new RegistrySettings(registry.url(), false,
                Optional.empty())), Duration.ZERO);
        TerraformApi api = new TerraformApi(new ModuleService(down, layout), new ProviderService(down, layout, json),
                StaticTokens.of(List.of()), FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, json);
        try (WebServer other = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register);
                LogCapture log = LogCapture.of("dev.wharf.terraform.web")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(other.localUri().resolve("/v1/modules/acme/vpc/aws/versions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            // What failed in general terms and where the detail is; never the registry's address.
            String id = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(response.body()).isEqualTo("{\"errors\":[\"storage is unreachable (request id " + id
                    + "; the server log has the details)\"]}");
            assertThat(response.body()).doesNotContain(registry.host()).doesNotContain("127.0.0.1");
            assertThat(log.lines(Level.WARN)).singleElement().asString().contains("request " + id).contains(registry.host())
                    .contains("check that the registry is running");
        }
    }
}
