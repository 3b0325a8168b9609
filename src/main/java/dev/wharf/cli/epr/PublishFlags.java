package dev.wharf.cli.epr;

import dev.wharf.epr.publish.PublisherKey;
import dev.wharf.epr.publish.PackageUploadApi;
import dev.wharf.epr.ui.PackageUi;
import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.access.FailedCredentials;
import dev.wharf.http.access.TokensFile;
import dev.wharf.http.access.TrustedPublishers;
import dev.wharf.http.oidc.IssuerClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code -auth-tokens-file}: scoped tokens, and with them {@code PUT /api/v1/packages} on the OCI indexer, which {@code -publish-verification-key} guards. */
public final class PublishFlags {
    @Option(names = {"-auth-tokens-file", "--auth-tokens-file"},
            description = "YAML file of named, hashed tokens with scopes (publish:GLOB on package names, admin), as 'token create'"
                    + " prints them, and trusted CI publishers (OIDC issuer, audience, claims, scopes); enables PUT /api/v1/packages"
                    + " with -feature-oci-indexer; re-read when it changes.")
    @Nullable Path tokensFile;

    @Option(names = {"-auth-oidc-ca-file", "--auth-oidc-ca-file"}, paramLabel = "PEM",
            description = "PEM file of CA certificates to trust for the OIDC issuers of -auth-tokens-file's trusted publishers, in"
                    + " addition to the JVM's default trust; read again when it changes.")
    @Nullable Path issuersCaFile;

    @Option(names = {"-publish-verification-key", "--publish-verification-key"}, paramLabel = "FILE",
            description = "Armoured OpenPGP public key Fleet verifies the company's packages with"
                    + " (xpack.fleet.packageVerification.gpgKeyPath): PUT /api/v1/packages publishes only a package whose .sig"
                    + " verifies over its zip with this key (only the file's first key or a subkey of it, as Fleet reads one key from its"
                    + " file); needs -auth-tokens-file. Not -verification-key, the upstream's key"
                    + " for pull-through.")
    @Nullable Path publisherKey;

    /** {@code -publish-verification-key}, read now; an IllegalArgumentException when it cannot be, or without a tokens file to publish with. */
    Optional<PublisherKey> publisherKey() {
        if (publisherKey == null) {
            return Optional.empty();
        }
        if (publisherKey.toString().isBlank()) {
            // Read as no key, every upload would be published unchecked ('-publish-verification-key "$KEY"' with the variable unset).
            throw new IllegalArgumentException(PublisherKey.FLAG + " was given without a file; name it, or leave the flag out");
        }
        if (given(tokensFile).isEmpty()) {
            throw new IllegalArgumentException(PublisherKey.FLAG + " is for PUT /api/v1/packages: it needs -auth-tokens-file");
        }
        try {
            return Optional.of(PublisherKey.fromKeyFile(publisherKey));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PublisherKey.FLAG + ": " + e.getMessage(), e);
        }
    }

    @Option(names = {"-auth-max-failures", "--auth-max-failures"}, paramLabel = "N", defaultValue = "" + FailedCredentials.DEFAULT_PER_MINUTE,
            description = "Failed token checks (PUT /api/v1/packages, UI sign-in) one client address may make in a minute; past it,"
                    + " its requests with tokens get 429 with Retry-After until the minute is over, unchecked; 0 turns this off"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxFailures = FailedCredentials.DEFAULT_PER_MINUTE;

    /** The failed-check counter of {@code -auth-max-failures}; a negative limit is an IllegalArgumentException. */
    FailedCredentials failures(Clock clock) {
        if (maxFailures < 0) {
            throw new IllegalArgumentException("-auth-max-failures must be 0 (off) or more, not " + maxFailures);
        }
        return new FailedCredentials(maxFailures, clock);
    }

    /** Where tokens are checked: the upload API and the UI (EPR's own API is open to all). */
    static CredentialThrottle.Guarded guarded() {
        return new CredentialThrottle.Guarded(path -> path.equals(PackageUploadApi.PATH) || path.equals("/ui") || path.startsWith("/ui/"),
                PackageUi.SESSION_COOKIE, PackageUi.SIGN_IN);
    }

    /** The tokens file, its publishers' issuers asked trusting {@code -auth-oidc-ca-file}; a file that cannot be read is an IllegalArgumentException. */
    Optional<TokensFile> tokens() {
        Optional<Path> ca = given(issuersCaFile);
        if (tokensFile != null && tokensFile.toString().isBlank()) {
            // Read as no file, it would open the pages the file guards ('-auth-tokens-file "$FILE"' with the variable unset).
            throw new IllegalArgumentException("-auth-tokens-file was given without a file; name it, or leave the flag out");
        }
        Optional<Path> file = given(tokensFile);
        if (file.isEmpty()) {
            if (ca.isPresent()) {
                throw new IllegalArgumentException("-auth-oidc-ca-file is for the trusted publishers' issuers: it needs -auth-tokens-file");
            }
            return Optional.empty();
        }
        IssuerClient issuers;
        try {
            issuers = IssuerClient.trusting(ca);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-auth-oidc-ca-file: " + e.getMessage(), e);
        }
        return Optional.of(new TokensFile(file.get(), Clock.systemUTC(), new TrustedPublishers(issuers, Clock.systemUTC())));
    }

    private static Optional<Path> given(@Nullable Path flag) {
        return Optional.ofNullable(flag).filter(path -> !path.toString().isBlank());
    }
}
