package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryRedactionTest {
    @Test
    void hidesTheValuesOfSignaturesTokensAndPasswordsAndKeepsTheRest() {
        assertThat(QueryRedaction.redact("archive=tar.gz&expires=1767225600&signature=c2VjcmV0LXNpZw"))
                .isEqualTo("archive=tar.gz&expires=1767225600&signature=REDACTED");
        assertThat(QueryRedaction.redact("X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abcdef"))
                .isEqualTo("X-Amz-Algorithm=REDACTED&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED");
        assertThat(QueryRedaction.redact("access_token=t0k3n&password=hunter2&api_key=k&code=oauth-code"))
                .isEqualTo("access_token=REDACTED&password=REDACTED&api_key=REDACTED&code=REDACTED");
        assertThat(QueryRedaction.redact("package=acme_logs&kibana.version=8.15.0&prerelease=true"))
                .isEqualTo("package=acme_logs&kibana.version=8.15.0&prerelease=true");
    }

    @Test
    void readsNamesAsTheServerDecodesThem() {
        assertThat(QueryRedaction.redact("%73ignature=secret&Signature=secret2")).isEqualTo("%73ignature=REDACTED&Signature=REDACTED");
        // A line break in a name does not hide what follows it.
        assertThat(QueryRedaction.redact("x%0Asignature=secret&a%0D%0Atoken=t")).isEqualTo("x%0Asignature=REDACTED&a%0D%0Atoken=REDACTED");
    }

    @Test
    void leavesEmptyAndMissingQueriesAlone() {
        assertThat(QueryRedaction.redact(null)).isNull();
        assertThat(QueryRedaction.redact("")).isEmpty();
        assertThat(QueryRedaction.redact("flag&signature")).isEqualTo("flag&signature");
    }

    @Test
    void aUrlKeepsEverythingButTheSecretValuesOfItsQuery() {
        assertThat(QueryRedaction.redactUrl(null)).isNull();
        assertThat(QueryRedaction.redactUrl("https://kibana.example.com/app/fleet")).isEqualTo("https://kibana.example.com/app/fleet");
        assertThat(QueryRedaction.redactUrl("https://k.example.com/a?")).isEqualTo("https://k.example.com/a?");
        assertThat(QueryRedaction.redactUrl("https://k.example.com/a?x=1&access_token=abc#frag?token=x"))
                .isEqualTo("https://k.example.com/a?x=1&access_token=REDACTED#frag?token=x");
        assertThat(QueryRedaction.redactUrl("/ui/?signature=s")).isEqualTo("/ui/?signature=REDACTED");
    }
}
