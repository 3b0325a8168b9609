package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.http.access.NewToken;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.oci.Layer;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.OidcScopes;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.publish.HttpModuleTarget;
import dev.wharf.terraform.publish.HttpProviderPublish;
import dev.wharf.terraform.publish.PublishApi;
import dev.wharf.terraform.publish.PublishClient;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TagDeletingStore;
import dev.wharf.testing.HostileZips;
import dev.wharf.testing.HostileZips.Entry;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestModules;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tag deleted while an upload wrote it (someone's clean-up at the same moment), against
 * docker-registry: nothing is published, the upload fails saying so and to upload again (never
 * "already exists", which {@code --ignore-existing} skipped for a module no one could install),
 * and the same upload run again publishes it. The race is played by a store under
 * {@link ExclusivePublishStore} that deletes the tag at the chosen moment, so it is deterministic.
 */
class TagDeletedDuringUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TerraformLayout LAYOUT = TestModules.LAYOUT;
    private static final String ZIP = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
    private static final NewToken CI = Publishing.token("ci", "publish:acme/*");

    @TempDir
    Path dir;

    private DockerRegistryServer registry;
    private TagDeletingStore meddling;
    private ArtifactStore store;
    private final PgpKeys key = PgpKeys.generate("a <a@wharf.invalid>");

    @BeforeEach
    void start() throws Exception {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        meddling = new TagDeletingStore(new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty())));
        store = new ExclusivePublishStore(meddling);
        new SigningKeyUploader(store, LAYOUT, new ProviderService(store, LAYOUT, JSON), JSON)
                .add("acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()));
    }

    @AfterEach
    void stop() {
        store.close();
        registry.close();
    }

    @Test
    void aProviderFileTagDeletedRightAfterItsPushFailsTheUploadAsNotPublishedAndARerunPublishesIt() throws Exception {
        Path sums = release();
        meddling.deleteAfterPush.add(tag(ZIP));

        // On the old code: the store's ConcurrentPublishException, naming the registry, rethrown as it was.
        assertThatThrownBy(() -> uploader().upload("acme", sums, List.of(), true))
                .isExactlyInstanceOf(TagDeletedException.class)
                .hasMessage("provider acme/dummy version 1.0.0 is not published: the tag of " + ZIP
                        + " was deleted while this upload wrote it; upload it again");
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).doesNotContain(sumsTag(), signatureTag());

        assertThat(uploader().upload("acme", sums, List.of(), false)).isTrue();
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).contains(tag(ZIP), sumsTag(), signatureTag());
    }

    @Test
    void aProviderFileTagDeletedRightAfterTheStoreFoundItIsNotCalledAlreadyStored() throws Exception {
        Path sums = release();
        // An upload that stopped after the zip (its SHA256SUMS tag deleted under it): the zip's tag stays, as a re-run expects.
        meddling.deleteAfterPush.add(sumsTag());
        assertThat(catchThrowable(() -> uploader().upload("acme", sums, List.of(), false))).isNotNull();
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).contains(tag(ZIP)).doesNotContain(signatureTag());
        meddling.deleteAfterCheck.add(tag(ZIP));

        // On the old code: "the tag '…linux_amd64.zip' already exists and is not overwritten", of a tag no longer there.
        assertThatThrownBy(() -> uploader().upload("acme", sums, List.of(), true))
                .isExactlyInstanceOf(TagDeletedException.class)
                .hasMessage("provider acme/dummy version 1.0.0 is not published: the tag of " + ZIP
                        + " was deleted while this upload wrote it; upload it again");
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).doesNotContain(signatureTag());

        assertThat(uploader().upload("acme", sums, List.of(), false)).isTrue();
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).contains(tag(ZIP), sumsTag(), signatureTag());
    }

    @Test
    void aModuleTagDeletedRightAfterItsPushIsNotALostRace() throws Exception {
        Path module = TestModules.write(dir.resolve("module"), "network", "1.0.0", "mine");
        meddling.deleteAfterPush.add(LAYOUT.moduleTag("acme", "network", "aws", "1.0.0"));

        // On the old code: "module acme/network/aws version 1.0.0 lost to a concurrent upload: …".
        assertThatThrownBy(() -> moduleUploader(true).upload(module))
                .isExactlyInstanceOf(TagDeletedException.class)
                .hasMessage("module acme/network/aws version 1.0.0 is not published: the tag of acme-network-aws-1.0.0.zip"
                        + " was deleted while this upload wrote it; upload it again");
        assertThat(store.listTags(LAYOUT.moduleRepository("acme", "network", "aws"))).isEmpty();

        assertThat(moduleUploader(false).upload(module)).extracting(ModuleUploader.Result::outcome)
                .containsExactly(ModuleUploader.Outcome.UPLOADED);
        assertThat(TestModules.storedContent(store, "network", "1.0.0")).isEqualTo("mine");
    }

    @Test
    void aModuleTagPublishedAndDeletedDuringThePushIsNotSkippedAsExisting() throws Exception {
        Path module = TestModules.write(dir.resolve("module"), "network", "1.0.0", "mine");
        meddling.publishedMeanwhile.put(LAYOUT.moduleTag("acme", "network", "aws", "1.0.0"), anotherWritersModule());

        // On the old code: "already exists", which --ignore-existing skipped (exit 0), with nothing stored under the tag.
        assertThatThrownBy(() -> moduleUploader(true).upload(module))
                .isExactlyInstanceOf(TagDeletedException.class)
                .hasMessageContaining("module acme/network/aws version 1.0.0 is not published")
                .hasMessageContaining("upload it again");
        assertThat(store.listTags(LAYOUT.moduleRepository("acme", "network", "aws"))).isEmpty();

        assertThat(moduleUploader(true).upload(module)).extracting(ModuleUploader.Result::outcome)
                .containsExactly(ModuleUploader.Outcome.UPLOADED);
        assertThat(TestModules.storedContent(store, "network", "1.0.0")).isEqualTo("mine");
    }

    @Test
    void overThePublishApiAModuleTagPublishedAndDeletedDuringThePushIsAFailureToRetryNotExisting() throws Exception {
        Path module = TestModules.write(dir.resolve("module"), "network", "1.0.0", "mine");
        meddling.publishedMeanwhile.put(LAYOUT.moduleTag("acme", "network", "aws", "1.0.0"), anotherWritersModule());
        try (WebServer server = publishServer()) {
            ModuleTarget target = new HttpModuleTarget(client(server));

            // On the old code: a 409 "already exists", which --ignore-existing skipped.
            assertThatThrownBy(() -> new ModuleUploader(target, options(true), m -> { }).upload(module))
                    .isExactlyInstanceOf(UploadException.class)
                    .hasMessageContaining("(HTTP 503): module acme/network/aws version 1.0.0 is not published: the tag of")
                    .hasMessageEndingWith("was deleted while this upload wrote it; upload it again");
            assertThat(store.listTags(LAYOUT.moduleRepository("acme", "network", "aws"))).isEmpty();

            assertThat(new ModuleUploader(target, options(true), m -> { }).upload(module)).extracting(ModuleUploader.Result::outcome)
                    .containsExactly(ModuleUploader.Outcome.UPLOADED);
        }
        assertThat(TestModules.storedContent(store, "network", "1.0.0")).isEqualTo("mine");
    }

    @Test
    void overThePublishApiAModuleVersionLostToAnotherWriterFailsEvenWithIgnoreExisting() throws Exception {
        Path module = TestModules.write(dir.resolve("module"), "network", "1.0.0", "mine");
        meddling.wonByAnotherAfterPush.put(LAYOUT.moduleTag("acme", "network", "aws", "1.0.0"), anotherWritersModule());
        try (WebServer server = publishServer()) {
            ModuleTarget target = new HttpModuleTarget(client(server));

            // As a local upload does (docs/security.md): what is stored is not what this upload sent. On the old code the
            // 409 read as "already exists", which --ignore-existing skipped with exit 0.
            assertThatThrownBy(() -> new ModuleUploader(target, options(true), m -> { }).upload(module))
                    .isExactlyInstanceOf(VersionExistsException.class)
                    .hasMessageContaining("module acme/network/aws version 1.0.0 lost to a concurrent upload");
        }
    }

    @Test
    void overThePublishApiAProviderReleaseLostToAnotherWriterFailsEvenWithIgnoreExisting() throws Exception {
        Path sums = release();
        meddling.wonByAnotherAfterPush.put(signatureTag(), Artifact.single(MediaTypes.PROVIDER_ARTIFACT,
                Layer.file(MediaTypes.providerLayerType(ProviderFile.Kind.SIGNATURE), "theirs.sig",
                        BlobSource.ofBytes("not this release's signature".getBytes(StandardCharsets.UTF_8)))));
        try (WebServer server = publishServer()) {
            HttpProviderPublish publish = new HttpProviderPublish(client(server));

            // On the old code the 409 was skipped as "already exists" (false, no exception).
            assertThatThrownBy(() -> publish.publish("acme", sums, List.of(), true, m -> { }))
                    .isExactlyInstanceOf(VersionExistsException.class)
                    .hasMessageContaining("was stored meanwhile by a concurrent upload of the same version");
        }
    }

    @Test
    void overThePublishApiAProviderFileTagDeletedRightAfterItsPushIsAFailureToRetry() throws Exception {
        Path sums = release();
        meddling.deleteAfterPush.add(tag(ZIP));
        try (WebServer server = publishServer()) {
            HttpProviderPublish publish = new HttpProviderPublish(client(server));

            assertThatThrownBy(() -> publish.publish("acme", sums, List.of(), true, m -> { }))
                    .isExactlyInstanceOf(UploadException.class)
                    .hasMessageEndingWith("(HTTP 503): provider acme/dummy version 1.0.0 is not published: the tag of " + ZIP
                            + " was deleted while this upload wrote it; upload it again");
            assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).doesNotContain(sumsTag(), signatureTag());

            assertThat(publish.publish("acme", sums, List.of(), false, m -> { })).isTrue();
        }
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).contains(tag(ZIP), sumsTag(), signatureTag());
    }

    @Test
    void overThePublishApiAProviderFileTagDeletedRightAfterTheStoreFoundItIsAFailureToRetry() throws Exception {
        Path sums = release();
        // An upload that stopped after the zip (its SHA256SUMS tag deleted under it): the zip's tag stays, as a re-run expects.
        meddling.deleteAfterPush.add(sumsTag());
        assertThat(catchThrowable(() -> uploader().upload("acme", sums, List.of(), false))).isNotNull();
        meddling.deleteAfterCheck.add(tag(ZIP));
        try (WebServer server = publishServer()) {
            HttpProviderPublish publish = new HttpProviderPublish(client(server));

            assertThatThrownBy(() -> publish.publish("acme", sums, List.of(), true, m -> { }))
                    .isExactlyInstanceOf(UploadException.class)
                    .hasMessageEndingWith("(HTTP 503): provider acme/dummy version 1.0.0 is not published: the tag of " + ZIP
                            + " was deleted while this upload wrote it; upload it again");
            assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).doesNotContain(signatureTag());

            assertThat(publish.publish("acme", sums, List.of(), false, m -> { })).isTrue();
        }
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).contains(tag(ZIP), sumsTag(), signatureTag());
    }

    @Test
    void overThePublishApiAProviderSignatureTagPublishedAndDeletedDuringThePushIsAFailureToRetryNotExisting() throws Exception {
        Path sums = release();
        meddling.publishedMeanwhile.put(signatureTag(), Artifact.single(MediaTypes.PROVIDER_ARTIFACT,
                Layer.file(MediaTypes.providerLayerType(ProviderFile.Kind.SIGNATURE), "theirs.sig",
                        BlobSource.ofBytes("not this release's signature".getBytes(StandardCharsets.UTF_8)))));
        try (WebServer server = publishServer()) {
            HttpProviderPublish publish = new HttpProviderPublish(client(server));

            assertThatThrownBy(() -> publish.publish("acme", sums, List.of(), true, m -> { }))
                    .isExactlyInstanceOf(UploadException.class)
                    .hasMessageEndingWith("(HTTP 503): provider acme/dummy version 1.0.0 is not published: the tag of "
                            + "terraform-provider-dummy_1.0.0_SHA256SUMS.sig was deleted while this upload wrote it; upload it again");
            assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).doesNotContain(signatureTag());

            assertThat(publish.publish("acme", sums, List.of(), false, m -> { })).isTrue();
        }
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).contains(tag(ZIP), sumsTag(), signatureTag());
    }

    /** The Terraform publish API over this test's store, taking the token of {@link #client}. */
    private WebServer publishServer() throws Exception {
        ClientAuthentication auth = new ClientAuthentication(h -> false, false, Optional.empty(),
                Optional.of(new TokensFile(Publishing.writeTokens(dir.resolve("tokens.yaml"), CI), Clock.systemUTC())), OidcScopes.none());
        PublishApi api = new PublishApi(auth, new ModulePublication(store, LAYOUT), uploader(),
                new SigningKeyUploader(store, LAYOUT, new ProviderService(store, LAYOUT, JSON), JSON),
                new PublishAudit(new SimpleMeterRegistry()), 64L << 20, JSON);
        return WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register);
    }

    private static PublishClient client(WebServer server) {
        return Publishing.client(server.localUri(), CI.token(), HttpClient.newHttpClient());
    }

    private ProviderUploader uploader() {
        return new ProviderUploader(store, LAYOUT, new ProviderService(store, LAYOUT, JSON), JSON, new ZipInspector(ArchiveLimits.DEFAULT), m -> { });
    }

    private ModuleUploader moduleUploader(boolean ignoreExisting) {
        return new ModuleUploader(store, LAYOUT, options(ignoreExisting), m -> { });
    }

    private static ModuleUploader.Options options(boolean ignoreExisting) {
        return new ModuleUploader.Options(false, ignoreExisting, Optional.empty(), Optional.empty(), Optional.empty(),
                ExcludePatterns.of(List.of()), ArchiveFormat.ZIP);
    }

    private static String tag(String fileName) {
        return LAYOUT.providerTag(ProviderFile.parse(fileName).orElseThrow());
    }

    private static String sumsTag() {
        return tag("terraform-provider-dummy_1.0.0_SHA256SUMS");
    }

    private static String signatureTag() {
        return LAYOUT.providerTag(ProviderFile.signature("dummy", "1.0.0"));
    }

    /** A signed one-platform release of dummy 1.0.0. */
    private Path release() throws Exception {
        Path releaseDir = Files.createDirectories(dir.resolve("release"));
        Path zip = HostileZips.write(releaseDir.resolve(ZIP), new ArrayList<>(List.of(Entry.file("terraform-provider-dummy_v1.0.0",
                "#!/bin/sh\necho one\n"))), List.of());
        String sums = Digest.sha256(Files.readAllBytes(zip)).hex() + "  " + ZIP + "\n";
        Path sumsFile = Files.writeString(releaseDir.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Files.write(releaseDir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums.getBytes(StandardCharsets.UTF_8)));
        return sumsFile;
    }

    /** A module version another writer stored under the same tag: not this run's content. */
    private static Artifact anotherWritersModule() {
        byte[] theirs = "not a module of this run".getBytes(StandardCharsets.UTF_8);
        return new Artifact(MediaTypes.MODULE_ARTIFACT,
                List.of(Layer.file(ArchiveFormat.ZIP.layerMediaType(), "theirs.zip", BlobSource.ofBytes(theirs))), Map.of());
    }
}
