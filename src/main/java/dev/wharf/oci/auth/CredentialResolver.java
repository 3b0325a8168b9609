package dev.wharf.oci.auth;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials, highest first: those given explicitly (flags and variables, already resolved by the
 * CLI), then Docker's configuration (with its credential helpers), then anonymous access. The
 * environment and home directory are passed in, so tests can point at a config and a PATH of
 * their own and nothing here reads global state.
 */
public final class CredentialResolver implements CredentialSource {
    private final Optional<Credentials> explicit;
    private final String explicitOrigin;
    private final DockerConfig dockerConfig;

    public CredentialResolver(Optional<Credentials> explicit, String explicitOrigin, DockerConfig dockerConfig) {
        this.explicit = explicit.filter(c -> !(c instanceof Credentials.Anonymous));
        this.explicitOrigin = explicitOrigin;
        this.dockerConfig = dockerConfig;
    }

    /** The resolver for a process: the real environment and the user's home folder. */
    public static CredentialResolver system(Optional<Credentials> explicit) {
        return forEnvironment(explicit, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public static CredentialResolver forEnvironment(Optional<Credentials> explicit, Map<String, String> env, Path home) {
        return new CredentialResolver(explicit, "the configured registry credentials (flags or environment)",
                DockerConfig.locate(env, home));
    }

    @Override
    public ResolvedCredentials credentialsFor(String registryHost) {
        if (explicit.isPresent()) {
            return new ResolvedCredentials(explicit.get(), explicitOrigin);
        }
        return dockerConfig.credentialsFor(registryHost).orElseGet(ResolvedCredentials::anonymous);
    }
}
