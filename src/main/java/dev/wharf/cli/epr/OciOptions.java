package dev.wharf.cli.epr;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.registry.RegistryTimeouts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The seed's OCI flags (plus {@code -oci-token}), shared by serving and pushing. */
public final class OciOptions {
    @Option(names = {"-oci-registry", "--oci-registry"}, description = "OCI registry (registry.example.com, localhost:5000, or oci-layout:/path).")
    @Nullable String registry;
    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-oci-repository", "--oci-repository"}, defaultValue = "packages", description = "Repository within the registry (default: ${DEFAULT-VALUE}).")
    String repository;
    @Option(names = {"-oci-username", "--oci-username"}, description = "Username for the registry.")
    @Nullable String username;
    @Option(names = {"-oci-password", "--oci-password"}, description = "Password for the registry (prefer EPR_OCI_PASSWORD).")
    @Nullable String password;
    @Option(names = {"-oci-token", "--oci-token"}, description = "Token for the registry (prefer EPR_OCI_TOKEN).")
    @Nullable String token;
    @Option(names = {"-oci-insecure", "--oci-insecure"}, arity = "0..1", fallbackValue = "true", description = "Allow plain HTTP and untrusted certificates.")
    boolean insecure;
    @Option(names = {"-oci-connect-timeout", "--oci-connect-timeout"}, defaultValue = "3s",
            description = "How long to wait for a connection to the registry, as a Go duration (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    String connectTimeout;
    @Option(names = {"-oci-response-timeout", "--oci-response-timeout"}, defaultValue = "5s",
            description = "How long to wait for the headers of a registry's answer (for uploads: after the last byte sent) (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    String responseTimeout;
    @Option(names = {"-oci-idle-timeout", "--oci-idle-timeout"}, defaultValue = "15s",
            description = "Longest silence allowed inside a blob or answer body before the transfer fails (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    String idleTimeout;
    @Option(names = {"-oci-retry-budget", "--oci-retry-budget"}, defaultValue = "8s",
            description = "Total time for one registry request with its retries (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    String retryBudget;
    @Option(names = {"-oci-ca-file", "--oci-ca-file"}, paramLabel = "PEM", description = "PEM file of CA certificates to trust for the registry, in addition to the JVM's default trust;"
            + " read again when it changes.")
    @Nullable Path caFile;

    boolean hasRegistry() {
        return registry != null && !registry.isBlank();
    }

    ArtifactStore open() {
        return open(dev.wharf.oci.registry.RegistryCallObserver.NONE);
    }

    /** The folder of an {@code oci-layout:} registry; empty for a remote one. */
    Optional<Path> layoutFolder() {
        return registry != null && registry.startsWith(OciStores.LAYOUT_SCHEME)
                ? Optional.of(Path.of(registry.substring(OciStores.LAYOUT_SCHEME.length()))) : Optional.empty();
    }

    /** With every request to a remote registry told to {@code observer}. */
    ArtifactStore open(dev.wharf.oci.registry.RegistryCallObserver observer) {
        return OciStores.open(Objects.requireNonNull(registry, "no OCI registry configured"), insecure,
                OciStores.credentials(username, password, token), timeouts(), Optional.ofNullable(caFile), observer);
    }

    RegistryTimeouts timeouts() {
        try {
            return new RegistryTimeouts(RegistryConfig.parseDuration(connectTimeout), RegistryConfig.parseDuration(responseTimeout),
                    RegistryConfig.parseDuration(idleTimeout), RegistryConfig.parseDuration(retryBudget));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
