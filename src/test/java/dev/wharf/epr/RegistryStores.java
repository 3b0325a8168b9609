package dev.wharf.epr;

import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.testing.DockerRegistryServer;
import java.time.Duration;
import java.util.Optional;

/**
 * Remote stores on a test registry. Credentials are fixed so the developer's Docker configuration
 * never leaks in; retries are short so outage tests stay quick.
 */
public final class RegistryStores {
    private static final RetryPolicy QUICK_RETRY = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(200));

    private RegistryStores() {
    }

    public static RegistryArtifactStore anonymous(DockerRegistryServer registry) {
        return with(registry, new Credentials.Anonymous());
    }

    /**
     * As {@code -oci-registry 127.0.0.1:PORT -oci-insecure} opens it: no scheme, so the store finds
     * plain HTTP on its first request.
     */
    public static RegistryArtifactStore asTheCliOpensIt(DockerRegistryServer registry) {
        return new RegistryArtifactStore(new RegistrySettings(registry.host(), true, Optional.empty()),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), QUICK_RETRY, null);
    }

    /** Anonymous, on {@code url} ("http://127.0.0.1:PORT"): a proxy in front of a test registry. */
    public static RegistryArtifactStore anonymousAt(String url) {
        return new RegistryArtifactStore(new RegistrySettings(url, false, Optional.empty()),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), QUICK_RETRY, null);
    }

    public static RegistryArtifactStore with(DockerRegistryServer registry, Credentials credentials) {
        return new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()),
                CredentialSource.fixed(credentials, "test"), QUICK_RETRY, null);
    }
}
