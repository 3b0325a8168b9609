package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final String EMPTY = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    private static final String ZIP = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    @Test
    void aLayerWithoutMediaTypeIsNoMatchForALookupByType() {
        // Another tool may push a layer without mediaType; the codec keeps it, the lookup must skip it.
        byte[] bytes = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},
                 "layers":[{"digest":"%s","size":3},
                           {"mediaType":"application/zip","digest":"%s","size":3}]}
                """.formatted(EMPTY, ZIP, ZIP).getBytes(StandardCharsets.UTF_8);
        Manifest manifest = new ManifestCodec().decode(Digest.sha256(bytes), bytes, null);

        assertThat(manifest.layers().get(0).mediaType()).isNull();
        assertThat(manifest.layer("application/zip")).map(Descriptor::mediaType).contains("application/zip");
        assertThat(manifest.layer("application/gzip")).isEmpty();
    }
}
