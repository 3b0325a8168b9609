package dev.wharf.terraform.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.testing.ChunkBytes;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.RegistryFront;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flat view over a real docker-registry behind the Docker Hub front, which pages tag lists by 100. */
class FlatArtifactStoreTest {
    private static final String BASE = "myorg/boring-registry";

    @TempDir
    Path dir;

    @Test
    void listsVersionsAcrossPagesKeepsModulesApartAndReadsHashedTagsFromTheirAnnotation() throws Exception {
        TerraformLayout layout = TerraformLayout.under(BASE).allowingLongTags();
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
             RegistryFront front = RegistryFront.dockerHub(registry.url(), false);
             ArtifactStore remote = new RegistryArtifactStore(new RegistrySettings(front.url(), false, Optional.empty()))) {
            CachingArtifactStore cache = new CachingArtifactStore(remote, Duration.ofMinutes(5));
            ArtifactStore flat = RepositoryLayout.flat(layout).over(cache, BASE);
            String vpc = layout.moduleRepository("acme", "vpc", "aws");
            String vpcNet = layout.moduleRepository("acme", "vpc-net", "aws");
            List<String> versions = IntStream.range(0, 130).mapToObj(i -> "1." + i + ".0").toList();
            for (String version : versions) {
                push(flat, vpc, layout.moduleTag("acme", "vpc", "aws", version));
            }
            push(flat, vpcNet, layout.moduleTag("acme", "vpc-net", "aws", "9.9.9"));
            String longVersion = "2.0.0-" + "rc.".repeat(40) + "1";
            String longTag = layout.moduleTag("acme", "vpc", "aws", longVersion);
            push(flat, vpc, longTag);

            List<String> stored = remote.listTags(BASE);
            assertThat(stored).hasSize(132).allMatch(tag -> tag.length() <= 128);
            List<String> expected = new ArrayList<>(versions.stream().map(v -> layout.moduleTag("acme", "vpc", "aws", v)).toList());
            expected.add(longTag);
            List<String> listed = flat.listTags(vpc);
            assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(flat.listTags(vpcNet)).containsExactly(layout.moduleTag("acme", "vpc-net", "aws", "9.9.9"));
            assertThat(flat.listTags(layout.moduleRepository("acme", "other", "aws"))).isEmpty();
            assertThat(flat.resolve(vpc, longTag)).isPresent();
            assertThat(flat.exists(vpcNet, layout.moduleTag("acme", "vpc", "aws", "1.0.0"))).isFalse();
            // One base list answers every module while it is fresh.
            // Built with a manifest read (the hashed tag): never current, always rebuilt.
            assertThat(flat.isCurrentTagList(vpc, flat.listTagsStamped(vpc).generation())).isFalse();
            dev.wharf.oci.Stamped<List<String>> net = flat.listTagsStamped(vpcNet);
            assertThat(flat.isCurrentTagList(vpcNet, net.generation())).isTrue();
            // The same generation while the base list is unchanged, as the cache below hands out.
            assertThat(flat.listTagsStamped(vpcNet).generation()).isEqualTo(net.generation());
            // A file's blob, read for its descriptor (checked against its size), is the base repository's too.
            dev.wharf.oci.Descriptor file = flat.resolve(vpc, longTag).orElseThrow().layers().get(0);
            assertThat(ChunkBytes.readAll(flat.readBlob(vpc, file))).containsExactly(1, 2, 3);
        }
    }

    private static void push(ArtifactStore store, String repository, String tag) {
        store.push(repository, tag, Artifact.single(MediaTypes.MODULE_ARTIFACT,
                Layer.file(MediaTypes.MODULE_TAR_GZ, "m.tar.gz", BlobSource.ofBytes(new byte[] {1, 2, 3}))), false);
    }
}
