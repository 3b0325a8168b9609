package dev.wharf.oci.auth;

/** Finds the credentials to use for one registry host ({@code registry.example.com:5000}). */
@FunctionalInterface
public interface CredentialSource {
    ResolvedCredentials credentialsFor(String registryHost);

    static CredentialSource fixed(Credentials credentials, String origin) {
        return host -> new ResolvedCredentials(credentials, origin);
    }
}
