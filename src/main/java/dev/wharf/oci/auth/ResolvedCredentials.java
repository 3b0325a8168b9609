package dev.wharf.oci.auth;

/**
 * Credentials together with where they came from ("explicit credentials", "Docker config
 * /home/x/.docker/config.json", "credential helper docker-credential-pass"), so an error message can
 * tell the user what to fix without showing the secret.
 */
public record ResolvedCredentials(Credentials credentials, String origin) {
    public static ResolvedCredentials anonymous() {
        return new ResolvedCredentials(new Credentials.Anonymous(), "no credentials (anonymous)");
    }

    public boolean isAnonymous() {
        return credentials instanceof Credentials.Anonymous;
    }

    /** The user name when there is one, for messages; never the secret. */
    public String describeUser() {
        if (credentials instanceof Credentials.Basic basic) {
            return "user '" + basic.username() + "'";
        }
        if (credentials instanceof Credentials.Token) {
            return "a token";
        }
        return "anonymous access";
    }
}
