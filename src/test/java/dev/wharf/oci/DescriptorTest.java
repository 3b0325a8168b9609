package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptorTest {
    private static final byte[] CONTENT = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String DATA = Base64.getEncoder().encodeToString(CONTENT);

    @Test
    void embeddedContentIsHandedOutOnlyWhenSizeAndDigestMatch() {
        Descriptor right = Descriptor.embedding("application/json", CONTENT);
        assertThat(right.data()).isEqualTo(DATA);
        assertThat(right.embedded()).hasValueSatisfying(b -> assertThat(b).isEqualTo(CONTENT));

        Digest other = Digest.sha256("{\"a\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(new Descriptor("application/json", other, CONTENT.length, Map.of(), DATA).embedded()).isEmpty();
        assertThat(new Descriptor("application/json", right.digest(), CONTENT.length + 1, Map.of(), DATA).embedded()).isEmpty();
        assertThat(new Descriptor("application/json", right.digest(), CONTENT.length, Map.of(), "not base64!").embedded()).isEmpty();
        assertThat(new Descriptor("application/json", right.digest(), CONTENT.length, Map.of()).embedded()).isEmpty();
    }

    @Test
    void aSha512DigestIsCheckedWithItsOwnAlgorithm() throws Exception {
        String hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-512").digest(CONTENT));
        Descriptor d = new Descriptor("application/json", new Digest("sha512", hex), CONTENT.length, Map.of(), DATA);
        assertThat(d.embedded()).hasValueSatisfying(b -> assertThat(b).isEqualTo(CONTENT));
    }

    @Test
    void theCodecKeepsEmbeddedDataBothWaysAndTheEmptyConfigsBytesAsBefore() {
        ManifestCodec codec = new ManifestCodec();
        Descriptor layer = new Descriptor("application/zip", Digest.sha256(CONTENT), CONTENT.length, Map.of(Descriptor.TITLE, "a.zip"));
        byte[] bytes = codec.encode("application/vnd.wharf.test.v1", java.util.List.of(layer), Map.of());
        // The empty config's descriptor is what every earlier Wharf wrote, so manifest digests stay the same.
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"}");

        Descriptor config = Descriptor.embedding("application/vnd.wharf.test.config.v1+json", CONTENT);
        byte[] withConfig = codec.encode("application/vnd.wharf.test.v1", config, java.util.List.of(layer), Map.of());
        Manifest decoded = codec.decode(Digest.sha256(withConfig), withConfig, null);
        assertThat(decoded.config()).isEqualTo(config);
        assertThat(decoded.layers().get(0).data()).isNull();
    }
}
