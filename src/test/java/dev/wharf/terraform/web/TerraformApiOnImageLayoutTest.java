package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.terraform.mirror.MirrorService;
import dev.wharf.terraform.mirror.MirrorStorage;
import dev.wharf.terraform.mirror.PackageHashes;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.testing.PgpKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerraformApiOnImageLayoutTest extends TerraformFileScenarios {
    @Override
    ArtifactStore newStore() {
        return new ImageLayoutStore(dir.resolve("data"));
    }

    @Override
    Path blobFile(String repository, Digest digest) {
        return dir.resolve("data").resolve(repository).resolve("blobs/" + digest.algorithm() + "/" + digest.hex());
    }

    @Override
    boolean servesParts() {
        return true;
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

    /**
     * Every kind of file URL refuses alike: without a signature 401 (no credentials), with an expired
     * or forged one 403 (credentials that are not good), in the registry's error form.
     */
    @Test
    void unsignedFileUrlsAre401AndExpiredOrForgedOnes403ForModulesProvidersAndMirror() throws Exception {
        uploadModule("1.0.0");
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        signingKeys().add("acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()));
        providerUploader().upload("acme", release("1.0.0", key, List.of("linux_amd64"), false), List.of(), false);
        MirrorStorage mirrorStorage = new MirrorStorage(store, layout, Files.createDirectories(dir.resolve("mirror-tmp")));
        Path zip = dir.resolve("release-1.0.0/terraform-provider-dummy_1.0.0_linux_amd64.zip");
        mirrorStorage.storeArchive(new MirrorCoordinates("registry.example.test", "acme", "dummy"), "1.0.0", "linux", "amd64",
                zip, PackageHashes.of(zip));
        byte[] key32 = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        FileUrlSigner current = new FileUrlSigner(key32, Duration.ofMinutes(5), Clock.systemUTC());
        FileUrlSigner lapsed = new FileUrlSigner(key32, Duration.ofMinutes(-5), Clock.systemUTC());
        ClientAuthentication auth = new ClientAuthentication(StaticTokens.of(List.of("tok"))::accepts, true, Optional.empty());

        try (WebServer guarded = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), cfg -> {
            new TerraformApi(new ModuleService(store, layout), new ProviderService(store, layout, json), auth, Optional::empty,
                    current, true, json, new ReadyAnswers(1L << 20)).register(cfg);
            new MirrorApi(new MirrorService(mirrorStorage, Optional.empty()), auth, current).register(cfg);
        })) {
            List<String> files = List.of(
                    "/v1/files/modules/acme/vpc/aws/1.0.0/acme-vpc-aws-1.0.0.tar.gz",
                    "/v1/files/providers/acme/dummy/terraform-provider-dummy_1.0.0_linux_amd64.zip",
                    "/v1/files/providers/acme/dummy/terraform-provider-dummy_1.0.0_SHA256SUMS",
                    "/v1/mirror/registry.example.test/acme/dummy/terraform-provider-dummy_1.0.0_linux_amd64.zip");
            for (String file : files) {
                assertThat(send(guarded, file + "?" + current.sign(file)).statusCode()).as("signed " + file).isEqualTo(200);
                assertRefused(send(guarded, file), 401, "not signed", file);
                assertRefused(send(guarded, file + "?" + lapsed.sign(file)), 403, "expired", file);
                assertRefused(send(guarded, file + "?" + current.sign(file).replaceAll("signature=.*", "signature=forged")),
                        403, "signature is not valid", file);
            }
        }
    }

    /**
     * A module pushed by another tool as a bare blob (no archive media type, no title) is served in the
     * format the server is told to assume; a layer that declares its format keeps it.
     */
    @Test
    void theConfiguredArchiveFormatIsAssumedForModuleLayersThatDoNotSayTheirs() throws Exception {
        byte[] zipBytes = java.util.Base64.getDecoder().decode("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==");
        store.push(layout.moduleRepository("acme", "bare", "aws"), layout.moduleTag("acme", "bare", "aws", "1.0.0"),
                Artifact.single("application/vnd.example.other-tool", new Layer("application/octet-stream", BlobSource.ofBytes(zipBytes),
                        java.util.Map.of())), false);
        uploadModule("1.0.0");

        for (ArchiveFormat assumed : ArchiveFormat.values()) {
            TerraformApi api = new TerraformApi(new ModuleService(store, layout, assumed), new ProviderService(store, layout, json),
                    StaticTokens.of(List.of()), FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), true, json);
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
                HttpResponse<String> bare = send(server, "/v1/modules/acme/bare/aws/1.0.0/download");
                assertThat(bare.statusCode()).as(bare.body()).isEqualTo(204);
                assertThat(bare.headers().firstValue("X-Terraform-Get").orElseThrow())
                        .startsWith("/v1/files/modules/acme/bare/aws/1.0.0/acme-bare-aws-1.0.0." + assumed.extension()
                                + "?archive=" + assumed.extension() + "&");
                HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(server.localUri().resolve(
                        bare.headers().firstValue("X-Terraform-Get").orElseThrow())).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(file.headers().firstValue("Content-Type")).hasValue(assumed.contentType());
                assertThat(file.body()).isEqualTo(zipBytes);

                assertThat(send(server, "/v1/modules/acme/vpc/aws/1.0.0/download").headers().firstValue("X-Terraform-Get").orElseThrow())
                        .as("a tar.gz layer stays tar.gz whatever is assumed").contains(".tar.gz?archive=tar.gz");
            }
        }
    }

    /**
     * A repeat request answered in front of the router still passes the token check: an answer
     * remembered for a request with a good token is never handed to one without.
     */
    @Test
    void readyAnswersStillRequireTheToken() throws Exception {
        uploadModule("1.0.0");
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        signingKeys().add("acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()));
        providerUploader().upload("acme", release("1.0.0", key, List.of("linux_amd64"), false), List.of(), false);
        ClientAuthentication auth = new ClientAuthentication(StaticTokens.of(List.of("tok"))::accepts, true, Optional.empty());
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        List<String> served = new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestObserver fastPathOnly = (route, method, status, micros) -> served.add(route);
        try (WebServer guarded = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready), fastPathOnly,
                cfg -> new TerraformApi(new ModuleService(store, layout), new ProviderService(store, layout, json), auth, Optional::empty,
                        FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, json, ready).register(cfg))) {
            for (String path : List.of("/v1/modules/acme/vpc/aws/versions", "/v1/providers/acme/dummy/versions",
                    "/v1/providers/acme/dummy/1.0.0/download/linux/amd64")) {
                HttpResponse<String> first = sendWithToken(guarded, path, "tok");
                HttpResponse<String> again = sendWithToken(guarded, path, "tok");
                assertThat(first.statusCode()).as(path + ": " + first.body()).isEqualTo(200);
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(again.body()).isEqualTo(first.body());
                assertThat(served).as("the repeat came from the ready answers").hasSize(1);
                served.clear();

                assertThat(send(guarded, path).statusCode()).as(path + " without a token").isEqualTo(401);
                assertThat(sendWithToken(guarded, path, "wrong").statusCode()).as(path + " with a wrong token").isEqualTo(401);
                assertThat(served).isEmpty();
            }
        }
    }

    private HttpResponse<String> sendWithToken(WebServer server, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(server.localUri().resolve(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(WebServer server, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(server.localUri().resolve(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertRefused(HttpResponse<String> response, int status, String reason, String file) throws Exception {
        assertThat(response.statusCode()).as(file + ": " + response.body()).isEqualTo(status);
        assertThat(json.readTree(response.body()).path("errors").get(0).asText()).as(file).contains(reason);
    }
}
