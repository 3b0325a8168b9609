package dev.wharf.oci.registry;

import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** Stores for tests: short retry waits so failure paths stay quick. */
final class RegistryTestStores {
    static final RetryPolicy QUICK_RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(200));

    private RegistryTestStores() {
    }

    static RegistryArtifactStore anonymous(String registry) {
        return with(registry, false, CredentialSource.fixed(new Credentials.Anonymous(), "test"), null);
    }

    static RegistryArtifactStore with(String registry, boolean insecure, CredentialSource credentials, SSLContext ssl) {
        return new RegistryArtifactStore(new RegistrySettings(registry, insecure, Optional.empty()), credentials, QUICK_RETRY, ssl);
    }

    static RegistryArtifactStore basic(String registry, String user, String password) {
        return with(registry, false, CredentialSource.fixed(new Credentials.Basic(user, password), "test flags"), null);
    }
}
