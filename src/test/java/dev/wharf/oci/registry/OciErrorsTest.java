package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The OCI error body read into codes: the spec's codes by name, anything else kept as the registry wrote it. */
class OciErrorsTest {
    private static OciErrors parse(String body) {
        return OciErrors.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everySpecCodeIsRecognisedWhateverItsCase() {
        for (OciErrorCode code : OciErrorCode.values()) {
            if (code == OciErrorCode.OTHER) {
                continue;
            }
            OciErrors errors = parse("{\"errors\":[{\"code\":\"" + code.name().toLowerCase() + "\",\"message\":\"m\"}]}");
            assertThat(errors.has(code)).as(code.name()).isTrue();
        }
    }

    @Test
    void anUnknownCodeIsOtherAndKeepsItsTextInTheSummary() {
        OciErrors errors = parse("{\"errors\":[{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"storage quota\"},"
                + "{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}");
        assertThat(errors.entries()).extracting(OciErrors.Entry::code).containsExactly(OciErrorCode.OTHER, OciErrorCode.DENIED);
        assertThat(errors.has(OciErrorCode.DENIED)).isTrue();
        assertThat(errors.has(OciErrorCode.UNAUTHORIZED)).isFalse();
        assertThat(errors.summary()).contains("QUOTA_EXCEEDED: storage quota; DENIED: requested access to the resource is denied");
    }

    @Test
    void aBodyThatIsNotAnErrorBodyHasNoCodes() {
        assertThat(parse("<html>oops</html>").entries()).isEmpty();
        assertThat(parse("{\"errors\":[{\"message\":\"no code\"}]}").entries()).extracting(OciErrors.Entry::code)
                .containsExactly(OciErrorCode.OTHER);
        assertThat(OciErrors.parse(new byte[0]).summary()).isEmpty();
    }
}
