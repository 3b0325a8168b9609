package dev.wharf.cli.epr;

import dev.wharf.http.access.TokensFile;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code -auth-tokens-file}: scoped tokens, and with them {@code PUT /api/v1/packages} on the OCI indexer. */
public final class PublishFlags {
    @Option(names = {"-auth-tokens-file", "--auth-tokens-file"},
            description = "YAML file of named, hashed tokens with scopes (publish:GLOB on package names, admin), as 'token create'"
                    + " prints them, and trusted CI publishers (OIDC issuer, audience, claims, scopes); enables PUT /api/v1/packages"
                    + " with -feature-oci-indexer; re-read when it changes.")
    @Nullable Path tokensFile;

    Optional<TokensFile> tokens() {
        return tokensFile == null || tokensFile.toString().isBlank() ? Optional.empty()
                : Optional.of(new TokensFile(tokensFile, Clock.systemUTC()));
    }
}
