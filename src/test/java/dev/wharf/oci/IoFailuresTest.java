package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** Parse failures in one line that says where, without the parser's quoted text or Jackson's copy of the source. */
class IoFailuresTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aYamlFailureIsOneLineWithItsPlaceAndNeverTheSource() {
        String secretish = "tokens:\n  - name: ci\n    hash: sha256:0123456789abcdef\n  - name: [broken\n";
        String said = IoFailures.describe(catchThrowableOfType(JsonProcessingException.class, () -> YAML.readTree(secretish)));
        assertThat(said).doesNotContain("\n").doesNotContain("0123456789abcdef").doesNotContain("^").doesNotContain("[Source");
        assertThat(said).isEqualTo("line 4, column 18: while parsing a flow sequence, expected ',' or ']', but got <stream end>");
    }

    @Test
    void aJsonFailureKeepsItsSentenceAndPlace() {
        String said = IoFailures.describe(catchThrowableOfType(JsonProcessingException.class, () -> JSON.readTree("{\"a\": tru}")));
        assertThat(said).startsWith("line 1, column ").contains("Unrecognized token 'tru'").doesNotContain("\n").doesNotContain("[Source");
    }

    @Test
    void aStreamCutShortIsSaidSoWhereTheDecompressorSaidNothing() throws Exception {
        byte[] gzip;
        try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
             java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write("some text long enough to be compressed into more than a handful of bytes".repeat(20).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.finish();
            gzip = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
        }
        java.io.IOException cut = catchThrowableOfType(java.io.IOException.class, () -> new org.apache.commons.compress.compressors.gzip
                .GzipCompressorInputStream(new java.io.ByteArrayInputStream(gzip)).readAllBytes());
        assertThat(IoFailures.describe(cut)).isEqualTo("it ends early (cut short)");
        // One with its own words keeps them.
        assertThat(IoFailures.describe(new java.io.EOFException("Unexpected end of ZLIB input stream"))).isEqualTo("Unexpected end of ZLIB input stream");
    }

    @Test
    void anUnclosedJsonObjectSaysWhereItOpenedWithoutTheSourceDescription() {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> new ObjectMapper().readTree("{\n"));
        assertThat(IoFailures.parseProblem(e)).startsWith("line 2, column 1: Unexpected end-of-input: expected close marker for Object (opened at line 1, column 1)")
                .doesNotContain("Source");
    }
}
