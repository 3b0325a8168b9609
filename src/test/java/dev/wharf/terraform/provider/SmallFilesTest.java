package dev.wharf.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small file is read as its manifest declares it, never more. */
class SmallFilesTest {
    private static final byte[] CONTENT = "0123456789abcdef0123456789abcdef\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aBlobLongerThanItsDeclaredSizeIsRefusedUnreadAndANegativeSizeIsABrokenRelease() {
        try (ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"))) {
            store.push("acme/sums", "v1", Artifact.single("application/vnd.wharf.test",
                    Layer.file("text/plain", "SHA256SUMS", BlobSource.ofBytes(CONTENT))), false);
            Digest digest = Digest.sha256(CONTENT);
            SmallFiles files = new SmallFiles(store);

            assertThat(files.read("acme/sums", new Descriptor("text/plain", digest, CONTENT.length, Map.of()))).isEqualTo(CONTENT);
            assertThatThrownBy(() -> files.read("acme/sums", new Descriptor("text/plain", digest, 4, Map.of())))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT))
                    .hasMessageContaining("the registry sent more than the 4 bytes the manifest declares");
            assertThatThrownBy(() -> files.read("acme/sums", new Descriptor("text/plain", digest, -1, Map.of())))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ProviderException.Reason.BROKEN_RELEASE));
        }
    }
}
