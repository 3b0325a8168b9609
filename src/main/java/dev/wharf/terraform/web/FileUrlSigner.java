package dev.wharf.terraform.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signatures for file URLs. Terraform sends no token when it fetches a module archive,
 * a provider zip or its SHA256SUMS, so a registry behind tokens hands out URLs that authorize
 * themselves: {@code ?expires=<epoch seconds>&signature=<HMAC-SHA256 over path and expiry>}. The
 * key is random per process unless configured, so several instances behind a load balancer can share
 * one.
 *
 * <p>Expiry times are rounded up to a tenth of the TTL (at most a minute), so within that step the
 * same path gets the same URL: the signature is computed once per step, and answers that carry such
 * URLs can be reused instead of rebuilt for every request. A URL therefore lives between the TTL and
 * the TTL plus that step.
 */
public final class FileUrlSigner {
    public enum Check { VALID, MISSING, EXPIRED, INVALID }

    static final String EXPIRES = "expires";
    static final String SIGNATURE = "signature";

    private record Signed(String path, long expires) {
    }

    private final Duration ttl;
    private final long stepSeconds;
    private final Clock clock;
    // Mac.getInstance walks the provider list on every call: initialise one and clone it per use.
    private final Mac prototype;
    // The signing key first, then the ones only accepted.
    private final List<Mac> verifying;
    private final Cache<Signed, String> recent = Caffeine.newBuilder().maximumSize(10_000).build();

    public FileUrlSigner(byte[] key, Duration ttl, Clock clock) {
        this(key, List.of(), ttl, clock);
    }

    /**
     * Signs with {@code key}; a URL signed with one of {@code alsoAccepted} is accepted too. That
     * makes a key rotation across replicas refuse no URL: first every replica accepts the new key,
     * then every one signs with it and accepts the old one, then the old one goes.
     */
    public FileUrlSigner(byte[] key, List<byte[]> alsoAccepted, Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.stepSeconds = Math.max(1, Math.min(60, ttl.toSeconds() / 10));
        this.clock = clock;
        this.prototype = hmac(key);
        this.verifying = Stream.concat(Stream.of(prototype),
                alsoAccepted.stream().map(FileUrlSigner::hmac)).toList();
    }

    private static Mac hmac(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the URL signing key must be at least 16 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.clone(), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    public static FileUrlSigner withRandomKey(Duration ttl) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new FileUrlSigner(key, ttl, Clock.systemUTC());
    }

    /** The query string (without '?') that authorizes {@code path} until now + ttl, rounded up to the step. */
    public String sign(String path) {
        long expires = expiry();
        return recent.get(new Signed(path, expires), s -> EXPIRES + "=" + s.expires() + "&" + SIGNATURE + "=" + mac(s.path(), s.expires()));
    }

    /** The expiry, in epoch seconds, that a URL signed now carries; it moves once per step. */
    long expiry() {
        long earliest = clock.instant().plus(ttl).getEpochSecond();
        return Math.floorDiv(earliest + stepSeconds - 1, stepSeconds) * stepSeconds;
    }

    public Check check(String path, String expires, String signature) {
        if (expires == null || signature == null || expires.isEmpty() || signature.isEmpty()) {
            return Check.MISSING;
        }
        long when;
        try {
            when = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Check.INVALID;
        }
        byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
        if (verifying.stream().noneMatch(key -> MessageDigest.isEqual(mac(key, path, when).getBytes(StandardCharsets.US_ASCII), given))) {
            return Check.INVALID;
        }
        return clock.instant().getEpochSecond() > when ? Check.EXPIRED : Check.VALID;
    }

    private String mac(String path, long expires) {
        return mac(prototype, path, expires);
    }

    private static String mac(Mac key, String path, long expires) {
        Mac hmac;
        try {
            hmac = (Mac) key.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 cannot be cloned", e);
        }
        byte[] out = hmac.doFinal((path + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
