package dev.wharf.http.access;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Who a request comes from, or why it was not let in (words fit for the client: never a token). */
public record Access(@Nullable Caller caller, String refusal) {
    public static Access granted(Caller caller) {
        return new Access(caller, "");
    }

    public static Access refused(String reason) {
        return new Access(null, reason);
    }

    public Optional<Caller> known() {
        return Optional.ofNullable(caller);
    }

    /** The token in an {@code Authorization: Bearer} header, or empty when the header carries none. */
    public static Optional<String> bearer(@Nullable String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        String value = authorizationHeader.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
