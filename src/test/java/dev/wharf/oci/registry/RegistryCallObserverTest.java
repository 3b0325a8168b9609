package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Operation names stay few: never a repository, tag, digest or upload session in them. */
class RegistryCallObserverTest {
    @Test
    void namesEachKindOfRequest() {
        assertThat(RegistryCallObserver.operation("GET", "/v2/")).isEqualTo("ping");
        assertThat(RegistryCallObserver.operation("GET", "/v2/team/modules/tags/list?n=100")).isEqualTo("list_tags");
        assertThat(RegistryCallObserver.operation("HEAD", "/v2/team/modules/manifests/1.0.0")).isEqualTo("head_manifest");
        assertThat(RegistryCallObserver.operation("PUT", "/v2/team/modules/manifests/1.0.0")).isEqualTo("put_manifest");
        assertThat(RegistryCallObserver.operation("GET", "/v2/a/blobs/sha256:abc")).isEqualTo("get_blob");
        assertThat(RegistryCallObserver.operation("POST", "/v2/a/blobs/uploads/")).isEqualTo("start_upload");
        assertThat(RegistryCallObserver.operation("POST", "/v2/a/blobs/uploads/?mount=sha256:abc&from=b")).isEqualTo("mount_blob");
        assertThat(RegistryCallObserver.operation("PATCH", "/v2/a/blobs/uploads/0d5e-uuid?_state=xyz")).isEqualTo("upload_chunk");
        assertThat(RegistryCallObserver.operation("PUT", "/v2/a/blobs/uploads/0d5e-uuid?_state=xyz&digest=sha256:abc")).isEqualTo("finish_upload");
    }
}
