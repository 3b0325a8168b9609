package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileUrlSignerTest {
    private static final byte[] KEY = "0123456789abcdef0123".getBytes();

    private static String param(String query, String name) {
        for (String part : query.split("&")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Test
    void aSignatureHoldsForItsPathUntilItExpires() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        String query = new FileUrlSigner(KEY, Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC)).sign("/v1/files/a");
        String expires = param(query, "expires");
        String signature = param(query, "signature");

        FileUrlSigner within = new FileUrlSigner(KEY, Duration.ofMinutes(5), Clock.fixed(now.plusSeconds(299), ZoneOffset.UTC));
        assertThat(within.check("/v1/files/a", expires, signature)).isEqualTo(FileUrlSigner.Check.VALID);
        assertThat(within.check("/v1/files/b", expires, signature)).isEqualTo(FileUrlSigner.Check.INVALID);
        assertThat(within.check("/v1/files/a", Long.toString(Long.parseLong(expires) + 1), signature)).isEqualTo(FileUrlSigner.Check.INVALID);
        assertThat(within.check("/v1/files/a", null, null)).isEqualTo(FileUrlSigner.Check.MISSING);

        FileUrlSigner after = new FileUrlSigner(KEY, Duration.ofMinutes(5), Clock.fixed(now.plusSeconds(301), ZoneOffset.UTC));
        assertThat(after.check("/v1/files/a", expires, signature)).isEqualTo(FileUrlSigner.Check.EXPIRED);

        FileUrlSigner otherKey = new FileUrlSigner("another-key-of-16+".getBytes(), Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
        assertThat(otherKey.check("/v1/files/a", expires, signature)).isEqualTo(FileUrlSigner.Check.INVALID);
    }

    @Test
    void aSignatureOfAnAcceptedKeyHoldsButThatKeyNeverSigns() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        byte[] old = "the-old-key-of-16+".getBytes();
        String byOld = new FileUrlSigner(old, Duration.ofMinutes(5), clock).sign("/v1/files/a");
        FileUrlSigner rotated = new FileUrlSigner(KEY, List.of(old), Duration.ofMinutes(5), clock);
        assertThat(rotated.check("/v1/files/a", param(byOld, "expires"), param(byOld, "signature"))).isEqualTo(FileUrlSigner.Check.VALID);
        assertThat(rotated.check("/v1/files/b", param(byOld, "expires"), param(byOld, "signature"))).isEqualTo(FileUrlSigner.Check.INVALID);
        String byRotated = rotated.sign("/v1/files/a");
        assertThat(byRotated).isEqualTo(new FileUrlSigner(KEY, Duration.ofMinutes(5), clock).sign("/v1/files/a")).isNotEqualTo(byOld);
        FileUrlSigner later = new FileUrlSigner(KEY, List.of(old), Duration.ofMinutes(5), Clock.fixed(now.plusSeconds(400), ZoneOffset.UTC));
        assertThat(later.check("/v1/files/a", param(byOld, "expires"), param(byOld, "signature"))).isEqualTo(FileUrlSigner.Check.EXPIRED);
        FileUrlSigner stranger = new FileUrlSigner("a-third-key-of-16+".getBytes(), List.of(KEY), Duration.ofMinutes(5), clock);
        assertThat(stranger.check("/v1/files/a", param(byOld, "expires"), param(byOld, "signature"))).isEqualTo(FileUrlSigner.Check.INVALID);
    }

    @Test
    void withinOneStepThePathGetsTheSameUrlAndItLivesAtLeastTheTtl() {
        Instant now = Instant.parse("2030-01-01T00:00:07Z");
        ManualClock clock = new ManualClock(now);
        FileUrlSigner signer = new FileUrlSigner(KEY, Duration.ofMinutes(5), clock);
        String first = signer.sign("/v1/files/a");
        long expires = Long.parseLong(param(first, "expires"));
        // Step is a tenth of the TTL: 30 s. 00:05:07 rounds up to 00:05:30.
        assertThat(expires).isEqualTo(now.plusSeconds(300 + 23).getEpochSecond());

        clock.set(now.plusSeconds(22));
        assertThat(signer.sign("/v1/files/a")).isEqualTo(first);
        assertThat(signer.sign("/v1/files/b")).isNotEqualTo(first);

        clock.set(now.plusSeconds(24));
        String next = signer.sign("/v1/files/a");
        assertThat(Long.parseLong(param(next, "expires"))).isEqualTo(expires + 30);
        assertThat(Long.parseLong(param(next, "expires")) - clock.instant().getEpochSecond()).isBetween(300L, 330L);
        assertThat(signer.check("/v1/files/a", param(next, "expires"), param(next, "signature"))).isEqualTo(FileUrlSigner.Check.VALID);
    }

    @Test
    void aShortTtlIsNotStretchedBeyondOneSecond() {
        Instant now = Instant.parse("2030-01-01T00:00:07.500Z");
        FileUrlSigner signer = new FileUrlSigner(KEY, Duration.ofSeconds(5), Clock.fixed(now, ZoneOffset.UTC));
        assertThat(Long.parseLong(param(signer.sign("/v1/files/a"), "expires"))).isEqualTo(now.plusSeconds(5).getEpochSecond());
    }

    @Test
    void staticTokensNeedTheBearerScheme() {
        StaticTokens tokens = StaticTokens.of(java.util.List.of("a-token, b-token"));
        assertThat(tokens.accepts("Bearer b-token")).isTrue();
        assertThat(tokens.accepts("bearer a-token")).isTrue();
        assertThat(tokens.accepts("Basic a-token")).isFalse();
        assertThat(tokens.accepts("Bearer c-token")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
        assertThat(tokens.toString()).doesNotContain("a-token");
        assertThat(StaticTokens.of(java.util.List.of()).enabled()).isFalse();
    }
}
