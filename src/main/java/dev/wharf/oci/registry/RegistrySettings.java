package dev.wharf.oci.registry;

import dev.wharf.oci.auth.Credentials;
import java.util.Optional;

/**
 * How to reach a remote registry. {@code registry} is a host with an optional port
 * ({@code registry.example.com}, {@code localhost:5000}) or an URL whose scheme picks the protocol.
 * {@code explicitCredentials} are those given by flags or variables; when empty the Docker
 * configuration and then anonymous access are tried. {@code insecure} allows plain HTTP and
 * untrusted certificates. {@code timeouts} bound every request.
 */
public record RegistrySettings(String registry, boolean insecure, Optional<Credentials> explicitCredentials, RegistryTimeouts timeouts) {
    public RegistrySettings {
        if (registry == null || registry.isBlank()) {
            throw new IllegalArgumentException("no registry given");
        }
        explicitCredentials = explicitCredentials == null ? Optional.empty() : explicitCredentials;
        timeouts = timeouts == null ? RegistryTimeouts.defaults() : timeouts;
    }

    /** With the default timeouts. */
    public RegistrySettings(String registry, boolean insecure, Optional<Credentials> explicitCredentials) {
        this(registry, insecure, explicitCredentials, RegistryTimeouts.defaults());
    }
}
