package dev.wharf.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void bearerWithQuotedCommasAndEscapes() {
        List<AuthChallenge> parsed = AuthChallenge.parse(List.of(
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                        + "scope=\"repository:team/app:pull,push\",error=\"insufficient_scope\",note=\"say \\\"hi\\\"\""));
        assertThat(parsed).hasSize(1);
        AuthChallenge c = parsed.get(0);
        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).contains("https://auth.example.com/token");
        assertThat(c.param("service")).contains("registry.example.com");
        assertThat(c.param("scope")).contains("repository:team/app:pull,push");
        assertThat(c.param("error")).contains("insufficient_scope");
        assertThat(c.param("note")).contains("say \"hi\"");
    }

    @Test
    void unquotedValuesSpacesAndCase() {
        AuthChallenge c = AuthChallenge.parse(List.of("BASIC Realm=registry , charset=UTF-8")).get(0);
        assertThat(c.isBasic()).isTrue();
        assertThat(c.param("realm")).contains("registry");
        assertThat(c.param("charset")).contains("UTF-8");
    }

    @Test
    void severalChallengesPreferBearer() {
        List<String> header = List.of("Basic realm=\"x\", Bearer realm=\"https://t/token\",service=\"s\"");
        assertThat(AuthChallenge.parse(header)).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
        assertThat(AuthChallenge.preferred(header)).hasValueSatisfying(c -> assertThat(c.param("service")).contains("s"));
        assertThat(AuthChallenge.preferred(List.of("Basic realm=\"only\""))).hasValueSatisfying(c -> assertThat(c.isBasic()).isTrue());
        assertThat(AuthChallenge.preferred(List.of("Negotiate"))).isEmpty();
        assertThat(AuthChallenge.preferred(List.of())).isEmpty();
    }
}
