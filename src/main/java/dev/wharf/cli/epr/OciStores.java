package dev.wharf.cli.epr;

import dev.wharf.cli.RegistryStores;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.oci.registry.RegistrySettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens the store {@code -oci-registry} names: {@code oci-layout:/path} for a local OCI image layout,
 * anything else for a remote registry.
 */
final class OciStores {
    private OciStores() {
    }

    static ArtifactStore open(String registry, boolean insecure, Optional<Credentials> credentials, Optional<Path> caFile) {
        if (registry.startsWith("oci-layout:")) {
            return new ImageLayoutStore(Path.of(registry.substring("oci-layout:".length())));
        }
        return RegistryStores.open(new RegistrySettings(registry, insecure, credentials), caFile);
    }

    /** Token wins over username/password; none means Docker's configuration, then anonymous. */
    static Optional<Credentials> credentials(String username, String password, String token) {
        if (token != null && !token.isEmpty()) {
            return Optional.of(new Credentials.Token(token));
        }
        if (username != null && !username.isEmpty()) {
            return Optional.of(new Credentials.Basic(username, password == null ? "" : password));
        }
        return Optional.empty();
    }
}
