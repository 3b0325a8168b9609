package dev.wharf.cli.boring;

import dev.wharf.terraform.publish.PublishClient;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code upload … --server URL --token T}: publish through a Wharf server instead of writing to storage. */
public final class ServerTargetOptions {
    @Option(names = "--server", paramLabel = "URL",
            description = "Publish through this Wharf server's HTTP API (https://registry.example.com) instead of writing to storage;"
                    + " no storage credentials needed (BORING_REGISTRY_SERVER)")
    @Nullable String server;

    @Option(names = "--token", paramLabel = "TOKEN", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Token with a publish scope for --server, from 'token create' (BORING_REGISTRY_TOKEN)")
    @Nullable String token;

    @Option(names = "--server-ca-file", paramLabel = "PEM",
            description = "PEM file of CA certificates to trust for an https --server, in addition to the JVM's default trust"
                    + " (BORING_REGISTRY_SERVER_CA_FILE)")
    @Nullable Path caFile;

    Optional<PublishClient> client() {
        if (server != null && server.isBlank()) {
            // Read as absent, '--server "$REGISTRY_URL"' with the variable unset would "upload" into a
            // ./data folder on the CI runner and report success. An empty BORING_REGISTRY_SERVER is unset.
            throw new IllegalArgumentException("--server was given without a URL; name the Wharf server, or leave the flag out to write to storage");
        }
        if (server == null) {
            if (caFile != null) {
                throw new IllegalArgumentException("--server-ca-file is for --server: it needs --server (or BORING_REGISTRY_SERVER)");
            }
            return Optional.empty();
        }
        return Optional.of(PublishClient.of(server.trim(), token == null ? "" : token.trim(), Optional.ofNullable(caFile)));
    }
}
