package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.upload.ExcludePatterns;
import dev.wharf.terraform.upload.ModuleUploader;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.upload.UploadException;
import dev.wharf.testing.PgpKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry protocols over HTTP, with real storage and real uploads, compared as whole JSON answers:
 * module and provider versions and downloads, and the checks of uploads. How the API answers as an
 * HTTP server (errors, unclean paths, HEAD and other methods) is {@link TerraformHttpScenarios}'s, the
 * files it hands out {@link TerraformFileScenarios}'s, which the backends' tests extend.
 */
abstract class TerraformApiScenarios {
    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final TerraformLayout layout = TerraformLayout.under("boring-registry");
    final HttpClient http = HttpClient.newHttpClient();
    CachingArtifactStore store;
    WebServer server;

    abstract ArtifactStore newStore();

    /** Where the backend keeps a blob's bytes, so a test can damage them behind Wharf's back. */
    abstract Path blobFile(String repository, Digest digest);

    /** Whether the backend reads a blob from a file, which can start anywhere: a Range is then answered with the part. */
    abstract boolean servesParts();

    @BeforeEach
    void start() {
        store = new CachingArtifactStore(newStore(), Duration.ofHours(1));
        // Every scenario runs with the ready answers in front: a repeat request must answer exactly
        // what the router would, through uploads and errors alike.
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        TerraformApi api = new TerraformApi(new ModuleService(store, layout), new ProviderService(store, layout, json),
                new ClientAuthentication(t -> false, false, Optional.empty()), Optional::empty,
                FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, json, ready);
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready), RequestObserver.NONE, api::register);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void modulesAnswerVersionsAndDownloadsAndAnUploadShowsAtOnceDespiteTheCache() throws Exception {
        uploadModule("1.0.0");
        assertThat(get("/v1/modules/acme/vpc/aws/versions").body()).isEqualTo("{\"modules\":[{\"versions\":[{\"version\":\"1.0.0\"}]}]}");
        uploadModule("1.1.0+build.5");
        assertThat(json.readTree(get("/v1/modules/acme/vpc/aws/versions").body()))
                .isEqualTo(json.readTree("{\"modules\":[{\"versions\":[{\"version\":\"1.1.0+build.5\"},{\"version\":\"1.0.0\"}]}]}"));
        // The public registry's latest download: a redirect to the newest version's, which resolves against the request.
        HttpResponse<String> latest = get("/v1/modules/acme/vpc/aws/download");
        assertThat(latest.statusCode()).isEqualTo(302);
        assertThat(uri("/v1/modules/acme/vpc/aws/download").resolve(latest.headers().firstValue("Location").orElseThrow()))
                .isEqualTo(uri("/v1/modules/acme/vpc/aws/1.1.0+build.5/download"));
        assertError(get("/v1/modules/acme/nothing/aws/download"), 404, "module acme/nothing/aws not found");

        HttpResponse<String> download = get("/v1/modules/acme/vpc/aws/1.0.0/download");
        assertThat(download.statusCode()).isEqualTo(204);
        String location = download.headers().firstValue("X-Terraform-Get").orElseThrow();
        assertThat(location).startsWith("/v1/files/modules/acme/vpc/aws/1.0.0/acme-vpc-aws-1.0.0.tar.gz?archive=tar.gz&");

        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri(location)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> body = http.send(HttpRequest.newBuilder(uri(location)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(body.body().length);
        assertThat(body.headers().firstValue("Content-Type")).hasValue("application/gzip");
        assertThat(body.body()[0] & 0xff).isEqualTo(0x1f);
    }

    /** As boring-registry's download proxy, whose URL names the archive's object: another name is a 404, not the archive. */
    @Test
    void aModuleFileUrlNamingAnotherFileIsNotFound() throws Exception {
        uploadModule("1.0.0");
        String location = get("/v1/modules/acme/vpc/aws/1.0.0/download").headers().firstValue("X-Terraform-Get").orElseThrow();
        String other = location.replace("/acme-vpc-aws-1.0.0.tar.gz?", "/anything.zip?");
        assertThat(other).isNotEqualTo(location);

        assertError(get(other), 404, "module acme/vpc/aws 1.0.0 has no file 'anything.zip'; its archive is acme-vpc-aws-1.0.0.tar.gz");
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri(other)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(uri(location)).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
    }

    @Test
    void providersAnswerVersionsPlatformsAndSignedDownloads() throws Exception {
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        Path keyFile = Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey());
        String keyId = signingKeys().add("acme", keyFile);
        Path sums = release("1.0.0", key, List.of("linux_amd64", "darwin_arm64"), false);
        providerUploader().upload("acme", sums, List.of(), false);

        assertThat(json.readTree(get("/v1/providers/acme/dummy/versions").body())).isEqualTo(json.readTree("""
                {"versions":[{"version":"1.0.0","protocols":["5.0"],"platforms":[
                  {"os":"darwin","arch":"arm64"},{"os":"linux","arch":"amd64"}]}]}"""));

        JsonNode download = json.readTree(get("/v1/providers/acme/dummy/1.0.0/download/linux/amd64").body());
        byte[] zip = Files.readAllBytes(sums.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"));
        assertThat(download.get("filename").asText()).isEqualTo("terraform-provider-dummy_1.0.0_linux_amd64.zip");
        assertThat(download.get("shasum").asText()).isEqualTo(Digest.sha256(zip).hex());
        assertThat(download.get("protocols")).isEqualTo(json.readTree("[\"5.0\"]"));
        assertThat(download.at("/signing_keys/gpg_public_keys/0/key_id").asText()).isEqualTo(keyId);
        assertThat(download.at("/signing_keys/gpg_public_keys/0/ascii_armor").asText()).isEqualTo(key.armoredPublicKey());
        assertThat(fetch(download.get("download_url").asText())).isEqualTo(zip);
        assertThat(fetch(download.get("shasums_url").asText())).isEqualTo(Files.readAllBytes(sums));
        assertThat(fetch(download.get("shasums_signature_url").asText()))
                .isEqualTo(Files.readAllBytes(sums.resolveSibling(sums.getFileName() + ".sig")));
        assertError(get("/v1/providers/acme/dummy/1.0.0/download/windows/amd64"), 404, "not available for windows_amd64");
    }

    @Test
    void providerUploadsCheckEverythingBeforePushingAnything() throws Exception {
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        Path sums = release("1.0.0", key, List.of("linux_amd64"), false);
        assertThatThrownBy(() -> providerUploader().upload("acme", sums, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("has no signing-keys.json");

        signingKeys().add("acme", Files.writeString(dir.resolve("key.asc"), PgpKeys.generate("other <o@x.invalid>").armoredPublicKey()));
        assertThatThrownBy(() -> providerUploader().upload("acme", sums, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("not among the namespace's signing keys");

        signingKeys().add("acme", Files.writeString(dir.resolve("key2.asc"), key.armoredPublicKey()));
        Files.write(sums.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> providerUploader().upload("acme", sums, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("does not match its SHA256SUMS entry");

        Path withDirectory = release("2.0.0", key, List.of("linux_amd64"), true);
        assertThatThrownBy(() -> providerUploader().upload("acme", withDirectory, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("directory entry");

        assertThat(store.listTags(layout.providerRepository("acme", "dummy"))).isEmpty();

        Path good = release("3.0.0", key, List.of("linux_amd64"), false);
        assertThat(providerUploader().upload("acme", good, List.of(), false)).isTrue();
        assertThatThrownBy(() -> providerUploader().upload("acme", good, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("already exists");
        assertThat(providerUploader().upload("acme", good, List.of(), true)).isFalse();
    }

    @Test
    void anExistingModuleVersionIsNeverOverwritten() throws Exception {
        uploadModule("1.0.0");
        ModuleUploader refusing = moduleUploader(false);
        assertThatThrownBy(() -> refusing.upload(moduleDir("1.0.0"))).isInstanceOf(UploadException.class)
                .hasMessageContaining("already exists");
        assertThat(moduleUploader(true).upload(moduleDir("1.0.0")).get(0).outcome()).isEqualTo(ModuleUploader.Outcome.EXISTS);
    }

    void uploadModule(String version) throws Exception {
        moduleUploader(false).upload(moduleDir(version));
    }

    ModuleUploader moduleUploader(boolean ignoreExisting) {
        return new ModuleUploader(store, layout, new ModuleUploader.Options(true, ignoreExisting, Optional.empty(), Optional.empty(),
                Optional.empty(), ExcludePatterns.none(), ArchiveFormat.TAR_GZ), m -> { });
    }

    Path moduleDir(String version) throws Exception {
        return TerraformReleases.moduleDir(dir, version);
    }

    ProviderUploader providerUploader() {
        return new ProviderUploader(store, layout, new ProviderService(store, layout, json), json, new ZipInspector(ArchiveLimits.DEFAULT), m -> { });
    }

    SigningKeyUploader signingKeys() {
        return new SigningKeyUploader(store, layout, new ProviderService(store, layout, json), json);
    }

    Path release(String version, PgpKeys key, List<String> platforms, boolean directoryEntry) throws Exception {
        return release(version, key, platforms, directoryEntry, 0);
    }

    /** A signed release; with {@code payload} > 0 each zip also stores that many random bytes. */
    Path release(String version, PgpKeys key, List<String> platforms, boolean directoryEntry, int payload) throws Exception {
        return TerraformReleases.release(dir, version, key, platforms, directoryEntry, payload);
    }

    URI uri(String path) {
        return server.localUri().resolve(path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    byte[] fetch(String path) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode errors = json.readTree(response.body()).get("errors");
        assertThat(errors.size()).isEqualTo(1);
        assertThat(errors.get(0).asText()).contains(message);
    }
}
