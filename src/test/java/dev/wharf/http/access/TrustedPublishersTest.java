package dev.wharf.http.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.Publishing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokens file's {@code publishers:}: CI jobs' OIDC tokens, checked against a real issuer on
 * 127.0.0.1 (discovery, JWKS, RS256), grant the scopes of the entries whose claims they satisfy, and
 * nothing otherwise.
 */
class TrustedPublishersTest {
    private static final String AUDIENCE = "https://registry.acme.test";

    @TempDir
    Path dir;

    OidcIssuer ci;
    OidcIssuer other;
    Path file;
    final AtomicInteger clientsMade = new AtomicInteger();

    @BeforeEach
    void setUp() {
        ci = OidcIssuer.start();
        other = OidcIssuer.start();
        file = dir.resolve("tokens.yaml");
    }

    @AfterEach
    void tearDown() {
        ci.close();
        other.close();
    }

    @Test
    void aJobWhoseClaimsMatchPublishesWithTheEntrysScopesAndNothingElseDoes() throws IOException {
        TokensFile tokens = tokensFile("""
                publishers:
                  - name: infra-ci
                    issuer: %s
                    audience: %s
                    claims:
                      repository: acme/infra
                      ref: [refs/heads/main, refs/tags/v*]
                    scopes: ["publish:acme/*"]
                """.formatted(ci.issuer(), AUDIENCE));

        TokensFile.Check main = tokens.identify(job("acme/infra", "refs/heads/main", AUDIENCE));
        assertThat(main).isInstanceOfSatisfying(TokensFile.Valid.class, valid -> {
            assertThat(valid.caller().name()).isEqualTo("infra-ci (repo:acme/infra:ref:refs/heads/main)");
            assertThat(valid.caller().scopes()).containsExactly(Scope.publish("acme/*"));
            assertThat(valid.caller().mayPublish("acme/vpc/aws")).isTrue();
            assertThat(valid.caller().mayPublish("other/vpc/aws")).isFalse();
            assertThat(valid.caller().mayRead()).isFalse();
        });
        assertThat(tokens.identify(job("acme/infra", "refs/tags/v1.2.0", AUDIENCE))).isInstanceOf(TokensFile.Valid.class);

        assertThat(refusal(tokens.identify(job("acme/infra", "refs/heads/feature", AUDIENCE))))
                .isEqualTo("the token of " + ci.issuer() + " for repo:acme/infra:ref:refs/heads/feature is no trusted publisher's:"
                        + " infra-ci wants ref refs/heads/main or refs/tags/v*, the token has refs/heads/feature");
        assertThat(refusal(tokens.identify(job("mallory/infra", "refs/heads/main", AUDIENCE))))
                .contains("infra-ci wants repository acme/infra, the token has mallory/infra");
        // A token the job asked for another service.
        assertThat(refusal(tokens.identify(job("acme/infra", "refs/heads/main", "sts.amazonaws.com"))))
                .contains("another audience").contains(AUDIENCE);
        assertThat(refusal(tokens.identify(ci.expiredToken("repo:acme/infra", AUDIENCE, Duration.ofMinutes(5)))))
                .contains("Expired JWT");
        assertThat(refusal(tokens.identify(ci.forgedToken("repo:acme/infra", AUDIENCE)))).contains("signature");
        // The keys were fetched once, for all of these.
        assertThat(ci.jwksRequests()).isEqualTo(1);

        // Another issuer's token, a random token and garbage are not the publishers' business.
        assertThat(tokens.identify(other.sign(claims(other, "acme/infra", "refs/heads/main", AUDIENCE))))
                .isInstanceOf(TokensFile.Unknown.class);
        assertThat(tokens.identify("wharf_0123456789abcdef")).isInstanceOf(TokensFile.Unknown.class);
        assertThat(tokens.identify("a.b.c")).isInstanceOf(TokensFile.Unknown.class);
        assertThat(other.discoveryRequests()).isZero();
        // check() looks at the stored tokens alone: what package-registry's pages sign in with.
        assertThat(tokens.check(job("acme/infra", "refs/heads/main", AUDIENCE))).isInstanceOf(TokensFile.Unknown.class);
    }

    @Test
    void unsignedAndSecretKeyedTokensNamingTheIssuerAreRefused() throws Exception {
        TokensFile tokens = tokensFile("publishers:\n" + infraCi());
        JWTClaimsSet claims = claims(ci, "acme/infra", "refs/heads/main", AUDIENCE);
        String unsigned = new PlainJWT(claims).serialize();
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner(new byte[32]));
        assertThat(refusal(tokens.identify(unsigned))).contains("cannot be used");
        assertThat(refusal(tokens.identify(hmac.serialize()))).contains("cannot be used");
        assertThat(tokens.identify(job("acme/infra", "refs/heads/main", AUDIENCE))).isInstanceOf(TokensFile.Valid.class);
    }

    @Test
    void entriesATokenSatisfiesAddTheirScopesAndSharedIssuersAskTheirAudience() throws IOException {
        TokensFile tokens = tokensFile("""
                publishers:
                  - name: modules
                    issuer: %1$s
                    audience: %2$s
                    claims: {repository: acme/infra}
                    scopes: ["publish:acme/*"]
                  - name: signing
                    issuer: %1$s/
                    audience: %2$s
                    claims: {repository: "acme/*", ref: refs/heads/main}
                    scopes: [admin]
                  - name: elsewhere
                    issuer: %1$s
                    audience: another-registry
                    claims: {repository: acme/infra}
                    scopes: ["publish:*"]
                """.formatted(ci.issuer(), AUDIENCE));

        assertThat(tokens.identify(job("acme/infra", "refs/heads/main", AUDIENCE))).isInstanceOfSatisfying(TokensFile.Valid.class,
                valid -> {
                    assertThat(valid.caller().name()).isEqualTo("modules+signing (repo:acme/infra:ref:refs/heads/main)");
                    assertThat(valid.caller().scopes()).containsExactly(Scope.publish("acme/*"), Scope.admin());
                });
        assertThat(tokens.identify(job("acme/infra", "refs/heads/main", "another-registry")))
                .isInstanceOfSatisfying(TokensFile.Valid.class, valid -> assertThat(valid.caller().name()).startsWith("elsewhere "));
        assertThat(refusal(tokens.identify(job("acme/infra", "refs/heads/main", "nobody")))).contains("another audience");
    }

    @Test
    void aPublisherAddedToTheFileIsTrustedAtTheNextRequestAndTheIssuerIsAskedOnlyWhenATokenOfItComes() throws IOException {
        NewToken stored = Publishing.token("ci-stored", "publish:acme/*");
        Publishing.writeTokens(file, stored);
        TokensFile tokens = new TokensFile(file, Clock.systemUTC(), new TrustedPublishers(() -> {
            clientsMade.incrementAndGet();
            return dev.wharf.http.oidc.IssuerClient.trusting(java.util.Optional.empty()).get();
        }, Clock.systemUTC()));
        String token = job("acme/infra", "refs/heads/main", AUDIENCE);
        assertThat(tokens.identify(token)).isInstanceOf(TokensFile.Unknown.class);

        Files.writeString(file, Files.readString(file) + "publishers:\n" + infraCi());
        assertThat(ci.discoveryRequests()).isZero();
        assertThat(clientsMade).hasValue(0);
        assertThat(tokens.identify(stored.token())).isInstanceOf(TokensFile.Valid.class);
        assertThat(tokens.identify(token)).isInstanceOf(TokensFile.Valid.class);
        assertThat(ci.discoveryRequests()).isEqualTo(1);
        assertThat(clientsMade).hasValue(1);
    }

    @Test
    void anIssuerThatDoesNotAnswerRefusesItsTokensSayingWhy() throws IOException {
        TokensFile tokens = tokensFile("publishers:\n" + infraCi());
        String token = job("acme/infra", "refs/heads/main", AUDIENCE);
        ci.close();
        assertThat(refusal(tokens.identify(token))).startsWith("the token of " + ci.issuer() + " cannot be used: OIDC tokens cannot be"
                + " checked now: the OIDC issuer at " + ci.issuer() + " cannot be reached");
        assertThat(refusal(tokens.identify(token))).contains("cannot be reached");
    }

    @Test
    void entriesThatWouldTrustMoreThanTheirAuthorMeantAreRefusedWithTheReason() {
        String issuer = ci.issuer().toString();
        List<List<String>> broken = List.of(
                List.of(issuer, "''", "{repository: acme/infra}", "needs the audience its tokens are asked for"),
                List.of(issuer, "x", "{}", "needs claims that name the pipeline"),
                List.of(issuer, "x", "{repository: '*', ref: '**'}", "claims: at least one claim must name a value"),
                List.of(issuer, "x", "{repository: {name: acme}}", "claim 'repository' needs a value or a list of values"),
                List.of(issuer, "x", "{repository: []}", "claim 'repository' needs a value or a list of values"),
                List.of("http://issuer.acme.test", "x", "{repository: acme/infra}", "needs an https issuer URL"),
                List.of("issuer.acme.test", "x", "{repository: acme/infra}", "needs an https issuer URL"));
        for (List<String> entry : broken) {
            assertThatThrownBy(() -> tokensFile("publishers:\n" + publisher("ci", entry.get(0), entry.get(1), entry.get(2), "publish:acme/*")))
                    .hasMessageContaining("publisher 1: (ci) " + entry.get(3));
        }
        assertThatThrownBy(() -> tokensFile("publishers:\n" + publisher("ci", issuer, "x", "{repository: acme/infra}", "write")))
                .hasMessageContaining("(ci) scope 'write' is not one of");
        assertThatThrownBy(() -> tokensFile("tokens:\n  - {name: ci, hash: 'sha256:" + "0".repeat(64) + "', scopes: [read]}\n"
                + "publishers:\n" + infraCi().replace("infra-ci", "ci"))).hasMessageContaining("publisher 1: the name 'ci' is used twice");
        assertThatThrownBy(() -> tokensFile("publishers: {name: ci}\n")).hasMessageContaining("'publishers:' must be a list");
        assertThat(ci.discoveryRequests()).isZero();
    }

    /** A misspelt key had been skipped: 'expire:' left a token that never expires, 'tokns:' a file that grants nothing. */
    @Test
    void aKeyTheFileDoesNotKnowIsRefusedNotSkipped() throws IOException {
        String hash = "'sha256:" + "0".repeat(64) + "'";
        assertThatThrownBy(() -> tokensFile("tokens:\n  - {name: ci, hash: " + hash + ", scopes: [read], expire: 2027-01-31T00:00:00Z}\n"))
                .hasMessageEndingWith("entry 1: (ci) unknown key 'expire' (known: name, hash, scopes, expires)");
        assertThatThrownBy(() -> tokensFile("tokns:\n  - {name: ci, hash: " + hash + ", scopes: [read]}\n"))
                .hasMessageEndingWith(": unknown key 'tokns' (known: tokens, publishers)");
        assertThatThrownBy(() -> tokensFile("publishers:\n" + infraCi() + "    claim: {ref: refs/heads/main}\n"))
                .hasMessageEndingWith("publisher 1: (infra-ci) unknown key 'claim' (known: name, issuer, audience, claims, scopes)");
        // Every key it knows, spelt right, still loads.
        tokensFile("tokens:\n  - {name: ci, hash: " + hash + ", scopes: [read], expires: 2027-01-31T00:00:00Z}\npublishers:\n" + infraCi());
    }

    /** The entry most tests use: repository acme/infra of the test issuer publishes acme/*. */
    private String infraCi() {
        return publisher("infra-ci", ci.issuer().toString(), AUDIENCE, "{repository: acme/infra}", "publish:acme/*");
    }

    private static String publisher(String name, String issuer, String audience, String claims, String scope) {
        return "  - name: " + name + "\n    issuer: " + issuer + "\n    audience: " + audience + "\n    claims: " + claims
                + "\n    scopes: [\"" + scope + "\"]\n";
    }

    private TokensFile tokensFile(String yaml) throws IOException {
        Files.writeString(file, yaml);
        return new TokensFile(file, Clock.systemUTC());
    }

    /** A token as GitHub Actions gives a job of {@code repository} running on {@code ref}. */
    private String job(String repository, String ref, String audience) {
        return ci.sign(claims(ci, repository, ref, audience));
    }

    private static JWTClaimsSet claims(OidcIssuer issuer, String repository, String ref, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).audience(audience)
                .subject("repo:" + repository + ":ref:" + ref).claim("repository", repository).claim("ref", ref)
                .claim("repository_owner", repository.substring(0, repository.indexOf('/')))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build();
    }

    private static String refusal(TokensFile.Check check) {
        assertThat(check).isInstanceOf(TokensFile.Refused.class);
        return ((TokensFile.Refused) check).why();
    }
}
