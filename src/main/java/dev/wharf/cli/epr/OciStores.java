package dev.wharf.cli.epr;

import dev.wharf.cli.RegistryAddressCheck;
import dev.wharf.cli.RegistryStores;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.oci.registry.RegistryCallObserver;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RegistryTimeouts;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Opens the store {@code -oci-registry} names: {@code oci-layout:/path} for a local OCI image layout,
 * anything else for a remote registry.
 */
final class OciStores {
    /** The prefix of an -oci-registry that names a local OCI image layout. */
    static final String LAYOUT_SCHEME = "oci-layout:";

    private OciStores() {
    }

    static ArtifactStore open(String registry, boolean insecure, Optional<Credentials> credentials, RegistryTimeouts timeouts,
                              Optional<Path> caFile) {
        return open(registry, insecure, credentials, timeouts, caFile, RegistryCallObserver.NONE);
    }

    /** Every publish through it is exclusive per version and read back (see {@link ExclusivePublishStore}). */
    static ArtifactStore open(String registry, boolean insecure, Optional<Credentials> credentials, RegistryTimeouts timeouts,
                              Optional<Path> caFile, RegistryCallObserver observer) {
        if (registry.startsWith(LAYOUT_SCHEME)) {
            return new ExclusivePublishStore(new ImageLayoutStore(Path.of(registry.substring(LAYOUT_SCHEME.length()))));
        }
        RegistryAddressCheck.refuseCredentials(registry, "-oci-registry (EPR_OCI_REGISTRY)",
                "-oci-username and -oci-password or -oci-token (EPR_OCI_USERNAME, EPR_OCI_PASSWORD, EPR_OCI_TOKEN)");
        return new ExclusivePublishStore(RegistryStores.open(new RegistrySettings(registry, insecure, credentials, timeouts), caFile, observer));
    }

    /** Token wins over username/password; none means Docker's configuration, then anonymous. */
    static Optional<Credentials> credentials(@Nullable String username, @Nullable String password, @Nullable String token) {
        if (token != null && !token.isEmpty()) {
            return Optional.of(new Credentials.Token(token));
        }
        if (username != null && !username.isEmpty()) {
            return Optional.of(new Credentials.Basic(username, password == null ? "" : password));
        }
        return Optional.empty();
    }
}
