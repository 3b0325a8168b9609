package dev.wharf.http.ui;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A cookie's value read from the raw {@code Cookie} header, for the checks that run before the
 * router ({@link dev.wharf.http.ReadyAnswers.Check}) and so have no parsed request. The first
 * cookie of the name counts, as it does for the router's own lookup.
 */
public final class CookieHeader {
    private CookieHeader() {
    }

    /** The URL-decoded value of cookie {@code name}; empty when there is none or it is empty. */
    public static Optional<String> value(@Nullable String header, String name) {
        if (header == null) {
            return Optional.empty();
        }
        for (String cookie : header.split(";")) {
            int equals = cookie.indexOf('=');
            if (equals > 0 && cookie.substring(0, equals).strip().equals(name)) {
                String value = cookie.substring(equals + 1).strip();
                return decoded(value);
            }
        }
        return Optional.empty();
    }

    /**
     * A cookie's value URL-decoded; empty when it is empty or does not decode ({@code %}, {@code %zz}):
     * a cookie no sign-in wrote is no sign-in, not a failure of the server.
     */
    public static Optional<String> decoded(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URLDecoder.decode(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
