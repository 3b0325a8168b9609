package dev.wharf.cli.epr;

import dev.wharf.epr.publish.PublisherKey;
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
                    + " verifies over its zip with this key; needs -auth-tokens-file. Not -verification-key, the upstream's key"
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
