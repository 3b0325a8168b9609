package dev.wharf.terraform.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signatures for file URLs. Terraform sends no token when it fetches a module archive,
 * a provider zip or its SHA256SUMS, so a registry behind tokens hands out URLs that authorize
 * themselves: {@code ?expires=<epoch seconds>&signature=<HMAC-SHA256 over path and expiry>}. The
 * key is random per process unless configured, so several instances behind a load balancer can share
 * one.
 */
public final class FileUrlSigner {
    public enum Check { VALID, MISSING, EXPIRED, INVALID }

    static final String EXPIRES = "expires";
    static final String SIGNATURE = "signature";

    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;

    public FileUrlSigner(byte[] key, Duration ttl, Clock clock) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the URL signing key must be at least 16 bytes");
        }
        this.key = key.clone();
        this.ttl = ttl;
        this.clock = clock;
    }

    public static FileUrlSigner withRandomKey(Duration ttl) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new FileUrlSigner(key, ttl, Clock.systemUTC());
    }

    /** The query string (without '?') that authorizes {@code path} until now + ttl. */
    public String sign(String path) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return EXPIRES + "=" + expires + "&" + SIGNATURE + "=" + mac(path, expires);
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
        byte[] expected = mac(path, when).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Check.INVALID;
        }
        return clock.instant().getEpochSecond() > when ? Check.EXPIRED : Check.VALID;
    }

    private String mac(String path, long expires) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = hmac.doFinal((path + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
