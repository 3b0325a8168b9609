package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CleanPathTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "//search | /search",
            "/a//b/ | /a/b/",
            "/./a | /a",
            "/a/. | /a",
            "/a/./ | /a/",
            "/a/b/../c | /a/c",
            "/a/%2E%2e/c | /c",
            "/a/%2e/b | /a/b",
            "/../a | /a",
            "/a/../.. | /",
            "'' | /"})
    void aPathThatIsNotCleanIsCleanedAsGoCleansIt(String path, String clean) {
        assertThat(CleanPath.of(path)).hasValue(clean);
    }

    @Test
    void cleanPathsAndSegmentsThatOnlyLookLikeDotsAreLeftAsTheyAre() {
        for (String clean : List.of("/", "/search", "/package/acme_logs/1.1.0/", "/package/a/1.0.0/.hidden", "/package/a/1.0.0/...",
                "/package/a/1.0.0/%2e%2e%2e", "/a/%2F/b", "/epr/acme_logs/acme_logs-1.1.0.zip")) {
            assertThat(CleanPath.of(clean)).as(clean).isEmpty();
        }
    }

    /** A redirect to the clean form must stay on this host: a browser reads "//host" and "/\host" as another one. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"//evil.example/", "///evil.example", "/./\\evil.example/", "//\\evil.example", "/a/..//evil.example/"})
    void aCleanFormNeverNamesAnotherHost(String path) {
        String clean = CleanPath.of(path).orElseThrow();
        assertThat(clean).startsWith("/").doesNotStartWith("//").doesNotContain("\\");
    }

    @Test
    void onlyAGetOrHeadIsSentOnAndTheQueryGoesWithIt() {
        assertThat(CleanPath.redirectOf("GET", "//search", "kibana.version=8.15.0")).hasValue("/search?kibana.version=8.15.0");
        assertThat(CleanPath.redirectOf("HEAD", "//search", null)).hasValue("/search");
        assertThat(CleanPath.redirectOf("GET", "//search", "")).hasValue("/search");
        assertThat(CleanPath.redirectOf("GET", "/search", "a=1")).isEmpty();
        assertThat(CleanPath.redirectOf("PUT", "//api/v1/modules/acme/vpc/aws/1.0.0", null)).isEmpty();
        assertThat(CleanPath.redirectOf("POST", "//api/v1/packages", null)).isEmpty();
    }
}
