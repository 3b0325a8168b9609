package dev.wharf.cli.epr;

import dev.wharf.epr.pkg.PackageSignatureCheck;
import dev.wharf.epr.upstream.UpstreamEpr;
import dev.wharf.epr.upstream.UpstreamSettings;
import dev.wharf.http.TrustedCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The upstream registry (EPR's {@code -proxy-to} and {@code -proxy-allow-insecure}; Wharf's {@code -proxy-ca-file}) and the key its
 * packages must verify against.
 */
public final class UpstreamOptions {
    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-proxy-to", "--proxy-to"}, defaultValue = "https://epr.elastic.co/", description = "Proxy-to endpoint: the upstream package registry (default: ${DEFAULT-VALUE}).")
    String proxyTo;
    @Option(names = {"-proxy-allow-insecure", "--proxy-allow-insecure"}, arity = "0..1", fallbackValue = "true",
            description = "Allow HTTP (non-HTTPS) proxy-to endpoints. Use only in development or trusted environments.")
    boolean allowInsecure;
    @Option(names = {"-proxy-ca-file", "--proxy-ca-file"}, paramLabel = "PEM",
            description = "PEM file of CA certificates to trust for an https -proxy-to (an internal registry whose certificate the"
                    + " company's own CA signed), in addition to the JVM's default trust.")
    @Nullable Path caFile;
    @Option(names = {"-verification-key", "--verification-key"}, paramLabel = "FILE",
            description = "Armoured OpenPGP public key (such as Elastic's GPG-KEY-elasticsearch) every package copied from the upstream must be signed with; its .zip.sig is checked before anything is pushed."
                    + " Only the file's first key (or a subkey of it) verifies, as Fleet reads one key from its file.")
    @Nullable Path verificationKey;

    /** EPR's check of {@code -proxy-to}: a URL, and HTTPS unless {@code -proxy-allow-insecure}. */
    UpstreamSettings settings() {
        URI uri;
        try {
            uri = new URI(proxyTo);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("invalid -proxy-to URL: " + e.getMessage(), e);
        }
        if (!allowInsecure && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("-proxy-to must use HTTPS (got \"" + proxyTo + "\"); use -proxy-allow-insecure to allow HTTP");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("invalid -proxy-to URL: \"" + proxyTo + "\" names no host");
        }
        if (caFile != null && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("-proxy-ca-file is for an https -proxy-to, not \"" + proxyTo + "\"");
        }
        return UpstreamSettings.epr(uri);
    }

    /** The client of {@link #settings()}'s upstream, trusting {@code -proxy-ca-file} (read now) beside the JVM's trust. */
    UpstreamEpr client() {
        UpstreamSettings settings = settings();
        if (caFile == null) {
            return new UpstreamEpr(settings);
        }
        try {
            return new UpstreamEpr(settings, Optional.of(TrustedCertificates.withExtra(List.of(caFile))));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-proxy-ca-file: " + e.getMessage(), e);
        }
    }

    Optional<PackageSignatureCheck> signatureCheck() {
        return verificationKey == null ? Optional.empty() : Optional.of(PackageSignatureCheck.upstreamKey(verificationKey));
    }
}
