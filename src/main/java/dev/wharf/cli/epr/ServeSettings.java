package dev.wharf.cli.epr;

import dev.wharf.epr.publish.PublisherKey;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.TrustedProxies;
import dev.wharf.http.access.FailedCredentials;
import dev.wharf.http.access.TokensFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ServeCommand}'s flags and the configuration file say, checked before anything is
 * opened: a refused flag is one line on stderr and exit code 2, in the order the checks are listed here.
 */
record ServeSettings(ServerLimits limits, Duration drain, RegistryConfig config, Duration refreshInterval, Duration verifyInterval,
                     Optional<TokensFile> tokens, Optional<PublisherKey> publisherKey,
                     FailedCredentials failures) {

    /** EPR reads an empty file flag as none ({@code EPR_TLS_CERT=}). */
    private static boolean unnamed(@Nullable Path file) {
        return file == null || file.toString().isBlank();
    }

    /** Empty when a flag is refused (the reason printed to {@code err}); unreadable configuration or intervals throw. */
    static Optional<ServeSettings> check(ServeCommand flags, PrintWriter err) throws IOException {
        if (flags.tlsMinVersion != null && (unnamed(flags.tlsCert) || unnamed(flags.tlsKey))) {
            return refused(err, "-tls-min-version set but missing TLS cert and key files (-tls-cert and -tls-key)");
        }
        if (flags.tlsMinVersion != null && !Set.of("1.1", "1.2", "1.3").contains(flags.tlsMinVersion)) {
            return refused(err, "unsupported TLS version: " + flags.tlsMinVersion);
        }
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.of(flags.httpTrustedProxies);
        } catch (IllegalArgumentException e) {
            return refused(err, "package-registry: -http-trusted-proxies: " + e.getMessage());
        }
        Duration idle;
        try {
            idle = RegistryConfig.parseDuration(flags.httpIdleTimeout);
        } catch (IOException e) {
            return refused(err, "package-registry: -http-idle-timeout: " + e.getMessage());
        }
        ServerLimits limits;
        try {
            limits = new ServerLimits(idle, flags.httpMaxConnections, flags.httpTrustForwarded, proxies, flags.httpHsts);
        } catch (IllegalArgumentException e) {
            return refused(err, "package-registry: -http-idle-timeout / -http-max-connections: " + e.getMessage());
        }
        if (flags.packagePathsWorkers != null && flags.packagePathsWorkers <= 0) {
            return refused(err, "package-registry: package-paths-workers must be greater than 0");
        }
        Duration drain;
        try {
            drain = RegistryConfig.parseDuration(flags.shutdownTimeout);
        } catch (IllegalArgumentException | IOException e) {
            return refused(err, "package-registry: -shutdown-timeout: " + e.getMessage());
        }
        RegistryConfig config = RegistryConfig.load(flags.config == null ? Path.of("config.yml") : flags.config, flags.config != null);
        if (flags.watchPackagePaths && config.packagePaths().isEmpty() && !flags.ociIndexer) {
            return refused(err, "package-registry: no package paths configured, cannot enable watcher");
        }
        Duration refresh = RegistryConfig.parseDuration(flags.ociRefreshInterval.equals("0") ? "0s" : flags.ociRefreshInterval);
        Duration verify = RegistryConfig.parseDuration(flags.ociVerifyInterval.equals("0") ? "0s" : flags.ociVerifyInterval);
        Optional<TokensFile> tokens;
        try {
            tokens = flags.publish.tokens();
        } catch (IllegalArgumentException e) {
            return refused(err, "package-registry: " + e.getMessage());
        }
        FailedCredentials failures;
        try {
            failures = flags.publish.failures(Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            return refused(err, "package-registry: " + e.getMessage());
        }
        if (tokens.isPresent() && !flags.ociIndexer) {
            return refused(err, "package-registry: -auth-tokens-file enables publishing, which needs -feature-oci-indexer");
        }
        Optional<PublisherKey> publisherKey;
        try {
            publisherKey = flags.publish.publisherKey();
        } catch (IllegalArgumentException e) {
            return refused(err, "package-registry: " + e.getMessage());
        }
        if (flags.ociIndexer && !flags.oci.hasRegistry()) {
            return refused(err, "-feature-oci-indexer needs -oci-registry (or EPR_OCI_REGISTRY)");
        }
        return Optional.of(new ServeSettings(limits, drain, config, refresh, verify, tokens, publisherKey, failures));
    }

    private static Optional<ServeSettings> refused(PrintWriter err, String reason) {
        err.println(reason);
        return Optional.empty();
    }
}
