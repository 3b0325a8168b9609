package dev.wharf.cli.boring;

import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.oci.registry.DockerHub;
import org.jspecify.annotations.Nullable;
import dev.wharf.oci.registry.RegistryTimeouts;
import dev.wharf.terraform.layout.RepositoryLayout;
import dev.wharf.terraform.layout.TerraformLayout;
import java.time.Duration;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags every boring-registry command takes: output and the seed's storage flags. */
public final class GlobalOptions {
    @Option(names = "--json", description = "Log as JSON lines (BORING_REGISTRY_JSON)")
    boolean json;

    @Option(names = "--debug", description = "Log debug messages (BORING_REGISTRY_DEBUG)")
    boolean debug;

    @Option(names = "--storage-oci-registry", paramLabel = "HOST",
            description = "OCI registry hostname, e.g. registry.example.com (BORING_REGISTRY_STORAGE_OCI_REGISTRY)."
                    + " Without it, storage is the embedded OCI image layout in --storage-oci-layout-dir")
    @Nullable String registry;

    @SuppressWarnings("NullAway.Init")
    @Option(names = "--storage-oci-repository", defaultValue = "boring-registry", paramLabel = "PATH",
            description = "Base repository path in the registry (BORING_REGISTRY_STORAGE_OCI_REPOSITORY; default ${DEFAULT-VALUE})")
    String repository;

    @Option(names = "--storage-oci-username", paramLabel = "USER", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Username for registry authentication (BORING_REGISTRY_STORAGE_OCI_USERNAME or OCI_REGISTRY_USERNAME)")
    @Nullable String username;

    @Option(names = "--storage-oci-password", paramLabel = "PASSWORD", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Password for registry authentication (BORING_REGISTRY_STORAGE_OCI_PASSWORD or OCI_REGISTRY_PASSWORD)")
    @Nullable String password;

    @Option(names = "--storage-oci-token", paramLabel = "TOKEN", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Token for registry authentication (BORING_REGISTRY_STORAGE_OCI_TOKEN or OCI_REGISTRY_TOKEN)")
    @Nullable String token;

    @Option(names = "--storage-oci-insecure", fallbackValue = "true", arity = "0..1",
            description = "Allow plain HTTP and untrusted certificates to the registry (BORING_REGISTRY_STORAGE_OCI_INSECURE; default false)")
    boolean insecure;

    @Option(names = "--storage-oci-ca-file", paramLabel = "PEM",
            description = "PEM file of CA certificates to trust for the registry, in addition to the JVM's default trust;"
                    + " read again when it changes (BORING_REGISTRY_STORAGE_OCI_CA_FILE)")
    @Nullable Path caFile;

    @Option(names = "--storage-oci-connect-timeout", defaultValue = "3s", converter = Durations.class, paramLabel = "DURATION",
            description = "How long to wait for a connection to the registry (BORING_REGISTRY_STORAGE_OCI_CONNECT_TIMEOUT; default ${DEFAULT-VALUE})")
    @SuppressWarnings("NullAway.Init")
    Duration connectTimeout;

    @Option(names = "--storage-oci-response-timeout", defaultValue = "5s", converter = Durations.class, paramLabel = "DURATION",
            description = "How long to wait for the headers of a registry's answer (for uploads: after the last byte sent)"
                    + " (BORING_REGISTRY_STORAGE_OCI_RESPONSE_TIMEOUT; default ${DEFAULT-VALUE})")
    @SuppressWarnings("NullAway.Init")
    Duration responseTimeout;

    @Option(names = "--storage-oci-idle-timeout", defaultValue = "15s", converter = Durations.class, paramLabel = "DURATION",
            description = "Longest silence allowed inside a blob or answer body, read or written, before the transfer fails"
                    + " (BORING_REGISTRY_STORAGE_OCI_IDLE_TIMEOUT; default ${DEFAULT-VALUE})")
    @SuppressWarnings("NullAway.Init")
    Duration idleTimeout;

    @Option(names = "--storage-oci-retry-budget", defaultValue = "8s", converter = Durations.class, paramLabel = "DURATION",
            description = "Total time for one registry request with its retries; keep it below the ~10 s Terraform waits"
                    + " (BORING_REGISTRY_STORAGE_OCI_RETRY_BUDGET; default ${DEFAULT-VALUE})")
    @SuppressWarnings("NullAway.Init")
    Duration retryBudget;

    @Option(names = "--storage-oci-flat", fallbackValue = "true", arity = "0..1", paramLabel = "BOOLEAN",
            description = "Store every module, provider, signing-key set and mirrored provider as a tag of the one repository"
                    + " --storage-oci-repository names, for registries that refuse nested names or want each repository created first"
                    + " (BORING_REGISTRY_STORAGE_OCI_FLAT; default false, true for Docker Hub)")
    @Nullable Boolean flat;

    @SuppressWarnings("NullAway.Init")
    @Option(names = "--storage-oci-layout-dir", defaultValue = "./data", paramLabel = "DIR",
            description = "Directory of the embedded OCI image layout, used when no --storage-oci-registry is given"
                    + " (BORING_REGISTRY_STORAGE_OCI_LAYOUT_DIR; default ${DEFAULT-VALUE})")
    String layoutDir;

    @SuppressWarnings("NullAway.Init")
    @Option(names = "--storage-module-archive-format", defaultValue = "tar.gz", paramLabel = "EXT", converter = ArchiveFormats.class,
            description = "Module archive format, without the leading dot: tar.gz (or tgz) or zip. Uploads write it; the server"
                    + " assumes it for module layers whose media type and title do not say (BORING_REGISTRY_STORAGE_MODULE_ARCHIVE_FORMAT;"
                    + " default ${DEFAULT-VALUE})")
    ArchiveFormat archiveFormat;

    /** Flat when asked, and by default on Docker Hub, where nested names cannot exist. */
    boolean flatLayout() {
        if (flat != null) {
            return flat;
        }
        return registry != null && !registry.isBlank() && DockerHub.is(checkedRegistry(registry));
    }

    /** The registry address, refused (by the flags' names, never echoed) when it holds credentials. */
    static String checkedRegistry(String registry) {
        dev.wharf.cli.RegistryAddressCheck.refuseCredentials(registry, "--storage-oci-registry (BORING_REGISTRY_STORAGE_OCI_REGISTRY)",
                "--storage-oci-username and --storage-oci-password or --storage-oci-token (BORING_REGISTRY_STORAGE_OCI_USERNAME,"
                        + " BORING_REGISTRY_STORAGE_OCI_PASSWORD, BORING_REGISTRY_STORAGE_OCI_TOKEN)");
        return registry;
    }

    /** Why the layout is what it is, for the start line. */
    String layoutReason() {
        return flat != null ? "" : flatLayout() ? " (the default on Docker Hub, which takes only namespace/name repositories)" : "";
    }

    TerraformLayout terraformLayout() {
        TerraformLayout layout = TerraformLayout.under(repository);
        return flatLayout() ? layout.allowingLongTags() : layout;
    }

    RepositoryLayout repositoryLayout() {
        return RepositoryLayout.of(flatLayout(), TerraformLayout.under(repository));
    }

    RegistryTimeouts timeouts() {
        return new RegistryTimeouts(connectTimeout, responseTimeout, idleTimeout, retryBudget);
    }
}
