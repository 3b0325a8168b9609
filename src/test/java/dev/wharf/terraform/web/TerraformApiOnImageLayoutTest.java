package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerraformApiOnImageLayoutTest extends TerraformApiScenarios {
    @Override
    ArtifactStore newStore() {
        return new ImageLayoutStore(dir.resolve("data"));
    }

    @Test
    void signedUrlsHoldForVersionsWithBuildMetadataBehindTokens() throws Exception {
        uploadModule("2.0.0+build.9");
        TerraformApi api = new TerraformApi(new ModuleService(store, layout), new ProviderService(store, layout, json),
                StaticTokens.of(List.of("tok")), FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, json);
        try (WebServer guarded = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(guarded.localUri().resolve("/v1/modules/acme/vpc/aws/versions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.body()).isEqualTo("{\"errors\":[\"authentication required: send 'Authorization: Bearer <token>'"
                    + " (a credentials block for this host in the terraform CLI configuration, or terraform login)\"]}");
            HttpResponse<String> download = http.send(HttpRequest.newBuilder(guarded.localUri().resolve(
                    "/v1/modules/acme/vpc/aws/2.0.0%2Bbuild.9/download")).header("Authorization", "Bearer tok").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(download.statusCode()).as(download.body()).isEqualTo(204);
            String location = download.headers().firstValue("X-Terraform-Get").orElseThrow();
            assertThat(location).contains("/2.0.0%2Bbuild.9/acme-vpc-aws-2.0.0%2Bbuild.9.tar.gz?");
            HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(guarded.localUri().resolve(location)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body().length).isGreaterThan(20);
        }
    }
}
