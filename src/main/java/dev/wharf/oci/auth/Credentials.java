package dev.wharf.oci.auth;

/**
 * Credentials for a registry. {@code toString} never shows a secret, so a credential that ends up
 * in a log line or an exception message leaks nothing.
 */
public sealed interface Credentials {

    /** Username and password (or a personal access token used as a password). */
    record Basic(String username, String password) implements Credentials {
        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }

    /**
     * A token: sent as-is as a Bearer token, or, when the registry challenges for one, used as an
     * identity/refresh token in the token exchange.
     */
    record Token(String token) implements Credentials {
        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    record Anonymous() implements Credentials {
    }
}
