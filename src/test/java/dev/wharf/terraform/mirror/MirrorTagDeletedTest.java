package dev.wharf.terraform.mirror;

import static dev.wharf.terraform.mirror.MeddledMirrorStorage.DUMMY;
import static dev.wharf.terraform.mirror.MeddledMirrorStorage.REPO;
import static dev.wharf.terraform.mirror.MeddledMirrorStorage.SIGNATURE;
import static dev.wharf.terraform.mirror.MeddledMirrorStorage.SUMS;
import static dev.wharf.terraform.mirror.MeddledMirrorStorage.ZIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.testing.TagDeletingStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release's archive, SHA256SUMS or signature tag deleted while the mirror's storage stored it (someone's clean-up
 * at the same moment), or another writer's stored first, against docker-registry under {@link ExclusivePublishStore}
 * as boring-registry runs it: nothing is mirrored, the failure says so and that storing it again works (never "no
 * longer in" the repository, which the network mirror answered 404, so terraform gave up on a package the next
 * request would have mirrored). The race is played by a store that deletes the tag at the chosen moment, so it is
 * deterministic. {@link MirrorPullThroughTagDeletedTest} plays the same over the network mirror.
 */
class MirrorTagDeletedTest {
    @TempDir
    Path dir;

    private MeddledMirrorStorage mirror;
    private TagDeletingStore meddling;
    private ArtifactStore store;
    private MirrorStorage storage;

    @BeforeEach
    void start() throws Exception {
        mirror = new MeddledMirrorStorage(dir);
        meddling = mirror.meddling;
        store = mirror.store;
        storage = mirror.storage;
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    private byte[] storedContent(String tag) throws Exception {
        return mirror.storedContent(tag);
    }

    @Test
    void anArchiveTagDeletedRightAfterItsPushIsNotMirroredAndStoringItAgainMirrorsIt() throws Exception {
        Path zip = TestZips.provider(dir.resolve("p.zip"), "dummy", "1.0.0", "linux_amd64");
        meddling.deleteAfterPush.add(ZIP);

        // On the old code: NOT_FOUND "terraform-provider-dummy_1.0.0_linux_amd64.zip is no longer in boring-registry/…".
        assertThatThrownBy(() -> storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip)))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.TAG_DELETED))
                .hasMessage(ZIP + " of " + DUMMY + " is not mirrored: its tag was deleted while it was stored;"
                        + " the next request or run stores it again");
        assertThat(storage.archive(DUMMY, "1.0.0", "linux", "amd64")).isEmpty();

        StoredArchive stored = storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        assertThat(storage.hashes(stored)).isEqualTo(PackageHashes.of(zip));
    }

    @Test
    void anArchiveTagDeletedRightAfterTheStoreFoundItIsNotCalledMissing() throws Exception {
        Path zip = TestZips.provider(dir.resolve("p.zip"), "dummy", "1.0.0", "linux_amd64");
        storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        meddling.deleteAfterCheck.add(ZIP);

        // On the old code: NOT_FOUND "… is no longer in …", read for the hashes of the tag the push was refused for.
        assertThatThrownBy(() -> storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip)))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.TAG_DELETED))
                .hasMessageContaining("is not mirrored: its tag was deleted while it was stored");

        StoredArchive stored = storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        assertThat(storage.hashes(stored)).isEqualTo(PackageHashes.of(zip));
    }

    @Test
    void aSha256SumsOrSignatureTagDeletedWhileItWasStoredIsNotMirroredAndStoringItAgainStoresIt() throws Exception {
        byte[] sums = "sums\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = {1, 2, 3};
        meddling.deleteAfterPush.add(SUMS);

        // On the old code: no failure, and no SHA256SUMS stored.
        assertThatThrownBy(() -> storage.storeSums(DUMMY, "1.0.0", sums, signature))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.TAG_DELETED))
                .hasMessage(SUMS + " of " + DUMMY + " is not mirrored: its tag was deleted while it was stored;"
                        + " the next request or run stores it again");
        assertThat(store.exists(REPO, SUMS)).isFalse();

        // Another writer's signature there first, deleted before this push's refusal was read back.
        meddling.publishedMeanwhile.put(SIGNATURE, dev.wharf.oci.Artifact.single(dev.wharf.terraform.layout.MediaTypes.PROVIDER_ARTIFACT,
                dev.wharf.oci.Layer.file(dev.wharf.terraform.layout.MediaTypes.PROVIDER_SIGNATURE, SIGNATURE,
                        dev.wharf.oci.BlobSource.ofBytes(signature))));
        assertThatThrownBy(() -> storage.storeSums(DUMMY, "1.0.0", sums, signature))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.TAG_DELETED))
                .hasMessageStartingWith(SIGNATURE + " of " + DUMMY + " is not mirrored: its tag was deleted while it was stored");

        storage.storeSums(DUMMY, "1.0.0", sums, signature);
        assertThat(store.exists(REPO, SUMS)).isTrue();
        assertThat(store.exists(REPO, SIGNATURE)).isTrue();
    }

    /**
     * Another writer (a second replica) storing other SHA256SUMS for the same release at the same moment, its
     * push winning: refused, theirs left as it is, and nothing more stored; found there before the push, the same.
     */
    @Test
    void anotherWritersDifferentSumsForTheSameReleaseAreRefusedAndNotOverwritten() throws Exception {
        byte[] sums = "sums\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] theirs = "other sums\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] signature = {1, 2, 3};
        meddling.wonByAnotherAfterPush.put(SUMS, dev.wharf.oci.Artifact.single(dev.wharf.terraform.layout.MediaTypes.PROVIDER_ARTIFACT,
                dev.wharf.oci.Layer.file(dev.wharf.terraform.layout.MediaTypes.PROVIDER_SHA256SUMS, SUMS,
                        dev.wharf.oci.BlobSource.ofBytes(theirs))));
        String refusal = SUMS + " of " + DUMMY + " is already mirrored with different content ("
                + dev.wharf.oci.Digest.sha256(theirs) + ", not " + dev.wharf.oci.Digest.sha256(sums) + "); it is never overwritten";

        // On the old code: no failure, ours taken as stored and theirs kept.
        assertThatThrownBy(() -> storage.storeSums(DUMMY, "1.0.0", sums, signature))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.CONFLICT))
                .hasMessage(refusal);
        assertThat(storedContent(SUMS)).isEqualTo(theirs);
        assertThat(store.exists(REPO, SIGNATURE)).isFalse();

        assertThatThrownBy(() -> storage.storeSums(DUMMY, "1.0.0", sums, signature)).hasMessage(refusal);
        assertThat(storedContent(SUMS)).isEqualTo(theirs);
        assertThat(store.exists(REPO, SIGNATURE)).isFalse();

        storage.storeSums(DUMMY, "1.0.0", theirs, signature);
        assertThat(storedContent(SIGNATURE)).isEqualTo(signature);
    }

}
