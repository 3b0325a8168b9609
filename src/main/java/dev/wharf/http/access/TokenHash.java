package dev.wharf.http.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Tokens and the hashes the tokens file keeps of them. A token is 32 bytes from
 * {@link SecureRandom} (256 bits), so its hash is a plain SHA-256: a slow password hash (bcrypt,
 * argon2) guards low-entropy secrets against guessing, which 2^256 candidates already rule out,
 * and it would cost every request tens of milliseconds of CPU. The hash is what the server
 * compares, in constant time, so the file never holds anything that opens the registry.
 */
public final class TokenHash {
    public static final String PREFIX = "sha256:";
    static final String TOKEN_PREFIX = "wharf_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenHash() {
    }

    /** A new random token: {@code wharf_} and 43 base64url characters. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code sha256:<hex>} of the token's UTF-8 bytes. */
    public static String of(String token) {
        return PREFIX + HexFormat.of().formatHex(digest(token));
    }

    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The raw digest a {@code sha256:<hex>} value names; refused with the reason when malformed. */
    static byte[] parse(String hash) {
        String value = hash.trim();
        if (!value.startsWith(PREFIX) || value.length() != PREFIX.length() + 64) {
            throw new IllegalArgumentException("hash must be 'sha256:' and 64 hex digits (as 'token create' prints it)");
        }
        try {
            return HexFormat.of().parseHex(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hash must be 'sha256:' and 64 hex digits (as 'token create' prints it)");
        }
    }
}
