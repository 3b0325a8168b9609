package dev.wharf.oci.registry;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Docker Hub's names. People write {@code docker.io} (image references) or {@code index.docker.io}
 * (Docker's config key), but the registry API answers only at {@code registry-1.docker.io}; Docker
 * itself makes the same substitution.
 */
public final class DockerHub {
    public static final String API_HOST = "registry-1.docker.io";
    private static final Set<String> ALIASES = Set.of("docker.io", "index.docker.io", API_HOST);

    private DockerHub() {
    }

    /** Whether {@code registry} (as given to {@code --storage-oci-registry}) is Docker Hub. */
    public static boolean is(@Nullable String registry) {
        if (registry == null || registry.isBlank()) {
            return false;
        }
        return ALIASES.contains(host(RegistryAddress.parse(registry).authority()));
    }

    /** {@code authority} with a Docker Hub alias replaced by the API host, the port kept. */
    static String apiAuthority(String authority) {
        String host = host(authority);
        return ALIASES.contains(host) ? API_HOST + authority.substring(host.length()) : authority;
    }

    private static String host(String authority) {
        String lower = authority.toLowerCase(Locale.ROOT);
        int colon = lower.lastIndexOf(':');
        return colon >= 0 && !lower.endsWith("]") ? lower.substring(0, colon) : lower;
    }
}
