package dev.wharf.oci.auth;

import java.time.Instant;

/** A registry access token and when to stop using it. {@code toString} hides the token. */
public record BearerToken(String token, Instant renewAfter) {
    public boolean usableAt(Instant now) {
        return now.isBefore(renewAfter);
    }

    @Override
    public String toString() {
        return "BearerToken[***, renewAfter=" + renewAfter + "]";
    }
}
