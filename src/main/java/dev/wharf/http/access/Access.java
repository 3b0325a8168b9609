package dev.wharf.http.access;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who a request comes from, or why it was not let in (words fit for the client: never a token). A
 * refused token may still prove who holds it (an expired token of the file, a CI job's token whose
 * signature held but whose pipeline is no trusted publisher): {@code claimant} names them for the audit.
 * A token refused {@code unchecked} could not be checked, since an issuer that could have let it in
 * cannot be reached: valid tokens are refused alike, so it is no failed credential check.
 */
public record Access(@Nullable Caller caller, String refusal, String claimant, boolean unchecked) {
    /** What the audit says of a refused request whose token proves nobody. */
    public static final String NOBODY = "-";

    public static Access granted(Caller caller) {
        return new Access(caller, "", caller.name(), false);
    }

    public static Access refused(String reason) {
        return new Access(null, reason, NOBODY, false);
    }

    /** Refused, though the token showed who holds it. */
    public static Access refused(String reason, String claimant) {
        return new Access(null, reason, claimant, false);
    }

    /** Refused, and {@code unchecked} when an issuer that could have let the token in cannot be reached. */
    public static Access refused(String reason, String claimant, boolean unchecked) {
        return new Access(null, reason, claimant, unchecked);
    }

    /** A refused trusted publisher's token as the audit names it: {@code - (subject)} when its signature held. */
    public static String claimant(TokensFile.Refused refused) {
        return refused.subject().map(subject -> NOBODY + " (" + subject + ")").orElse(NOBODY);
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
