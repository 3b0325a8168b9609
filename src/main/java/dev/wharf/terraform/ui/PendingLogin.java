package dev.wharf.terraform.ui;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One OIDC sign-in between the redirect to the issuer and its callback: the {@code state} that ties
 * the callback to this browser, the {@code nonce} the ID token must carry, the PKCE code verifier
 * (RFC 7636) and the UI path to lead back to. It lives only in the browser's own cookie, so any
 * replica can finish what another began.
 */
record PendingLogin(String state, String nonce, String verifier, String next) {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern RANDOM = Pattern.compile("[A-Za-z0-9_-]{43}");

    static PendingLogin start(String next, SecureRandom random) {
        return new PendingLogin(randomText(random), randomText(random), randomText(random), SignIn.safeNext(next));
    }

    /** The S256 code challenge: base64url of the verifier's SHA-256. */
    String challenge() {
        try {
            return URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether the callback's {@code state} is this sign-in's, compared in constant time. */
    boolean matches(String callbackState) {
        return callbackState != null
                && MessageDigest.isEqual(state.getBytes(StandardCharsets.US_ASCII), callbackState.getBytes(StandardCharsets.US_ASCII));
    }

    String cookieValue() {
        return state + "." + nonce + "." + verifier + "." + URL.encodeToString(next.getBytes(StandardCharsets.UTF_8));
    }

    /** The cookie read back; empty when it is missing or not one this class wrote. */
    static Optional<PendingLogin> fromCookie(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4 || !RANDOM.matcher(parts[0]).matches() || !RANDOM.matcher(parts[1]).matches()
                || !RANDOM.matcher(parts[2]).matches()) {
            return Optional.empty();
        }
        try {
            String next = new String(Base64.getUrlDecoder().decode(parts[3]), StandardCharsets.UTF_8);
            return Optional.of(new PendingLogin(parts[0], parts[1], parts[2], SignIn.safeNext(next)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** 32 random bytes, base64url: 43 characters, as RFC 7636 recommends for the verifier. */
    private static String randomText(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return URL.encodeToString(bytes);
    }
}
