package dev.wharf.oci.registry;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The registry part of {@link RegistrySettings}: {@code host[:port]}, optionally with
 * {@code http://} or {@code https://} to fix the protocol. Without a scheme, HTTPS is used (and,
 * in insecure mode, plain HTTP is tried when HTTPS fails, as docker and oras do). Docker Hub's
 * aliases become its API host ({@link DockerHub}).
 */
record RegistryAddress(String authority, Optional<String> scheme) {

    static RegistryAddress parse(String registry) {
        if (registry.indexOf('@') >= 0) {
            // Never echoed: the part before '@' is a user name and likely a password.
            throw new IllegalArgumentException("the registry address holds credentials (user:password@host); give the host"
                    + " alone and the credentials in the credential settings");
        }
        String text = registry.trim();
        Optional<String> scheme = Optional.empty();
        int sep = text.indexOf("://");
        if (sep >= 0) {
            String s = text.substring(0, sep).toLowerCase(Locale.ROOT);
            if (!s.equals("http") && !s.equals("https")) {
                throw new IllegalArgumentException("registry '" + registry + "' has the scheme '" + s
                        + "'; use host[:port], http://host[:port] or https://host[:port]");
            }
            scheme = Optional.of(s);
            text = text.substring(sep + 3);
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("/v2")) {
            text = text.substring(0, text.length() - 3);
        }
        if (text.isEmpty() || text.contains("/") || text.contains("@") || text.contains("?") || text.contains("#")) {
            throw new IllegalArgumentException("registry '" + registry + "' is not a host[:port] (a repository path"
                    + " belongs in the repository setting, credentials in the credential settings)");
        }
        URI check;
        try {
            check = URI.create("https://" + text + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("registry '" + registry + "' is not a valid host[:port]");
        }
        if (check.getHost() == null) {
            throw new IllegalArgumentException("registry '" + registry + "' is not a valid host[:port]");
        }
        return new RegistryAddress(DockerHub.apiAuthority(text.toLowerCase(Locale.ROOT)), scheme);
    }

    /**
     * This address, unless it asks for plain HTTP to another machine without {@code insecure}:
     * credentials and content would cross the network unprotected. Docker likewise speaks plain
     * HTTP only to registries it is told are insecure, and to 127.0.0.0/8 and localhost.
     */
    RegistryAddress allowedWith(boolean insecure) {
        if (insecure || !scheme.equals(Optional.of("http"))) {
            return this;
        }
        String host = URI.create("http://" + authority + "/").getHost();
        boolean loopback = host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || host.equals("[::1]");
        if (!loopback) {
            throw new IllegalArgumentException("registry 'http://" + authority + "' is plain HTTP to another machine, which needs the"
                    + " insecure setting (--storage-oci-insecure, -oci-insecure): credentials and content would cross the network"
                    + " unprotected. Without it, only registries on this machine are reached over plain HTTP");
        }
        return this;
    }

    URI base(String withScheme) {
        return URI.create(withScheme + "://" + authority);
    }

    @Override
    public String toString() {
        return authority;
    }
}
