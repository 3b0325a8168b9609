package dev.wharf.oci.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Docker's client configuration ({@code $DOCKER_CONFIG/config.json}, else
 * {@code ~/.docker/config.json}) as {@code docker login} leaves it. For a registry host it looks, in
 * Docker's order, at {@code credHelpers[host]}, then {@code credsStore}, then the inline
 * {@code auths} entry ({@code auth} = base64 of user:password, or {@code identitytoken}). Keys may be
 * written with a scheme or path ({@code https://host/v1/}) and Docker Hub has several names; all
 * are matched. A helper answering the user name {@code <token>} hands out an identity token.
 */
public final class DockerConfig {
    private static final Set<String> DOCKER_HUB = Set.of("docker.io", "index.docker.io", "registry-1.docker.io",
            "registry.hub.docker.com");
    private static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";

    private final Path file;
    private final CredentialHelper helpers;
    private final ObjectMapper json = new ObjectMapper();

    public DockerConfig(Path file, CredentialHelper helpers) {
        this.file = file;
        this.helpers = helpers;
    }

    /** The config file Docker would read in this environment; it need not exist. */
    public static DockerConfig locate(Map<String, String> env, Path home) {
        String dir = env.get("DOCKER_CONFIG");
        Path file = dir != null && !dir.isBlank() ? Path.of(dir, "config.json") : home.resolve(".docker/config.json");
        return new DockerConfig(file, new CredentialHelper(env));
    }

    public Path file() {
        return file;
    }

    public Optional<ResolvedCredentials> credentialsFor(String registryHost) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = json.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.UNAUTHORIZED, "cannot read the Docker configuration "
                    + file + ": " + Objects.requireNonNullElse(e.getMessage(), e.toString()).lines().findFirst().orElse("") + "; fix or remove the file");
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        String host = normalize(registryHost);
        String helper = matching(root.path("credHelpers"), host).map(JsonNode::asText).orElse(null);
        if (helper == null && root.hasNonNull("credsStore")) {
            helper = root.get("credsStore").asText();
        }
        if (helper != null && !helper.isBlank()) {
            Optional<Credentials> fromHelper = helpers.get(helper, serverUrl(host));
            if (fromHelper.isPresent()) {
                return fromHelper.map(c -> new ResolvedCredentials(c, "credential helper docker-credential-"
                        + CredentialHelper.safeName(helperName(root, host)) + " (from " + file + ")"));
            }
        }
        return matching(root.path("auths"), host).flatMap(this::inline)
                .map(c -> new ResolvedCredentials(c, "Docker config " + file));
    }

    private static String helperName(JsonNode root, String host) {
        return matching(root.path("credHelpers"), host).map(JsonNode::asText)
                .orElseGet(() -> root.path("credsStore").asText());
    }

    private Optional<Credentials> inline(JsonNode entry) {
        String identityToken = entry.path("identitytoken").asText("");
        if (!identityToken.isEmpty()) {
            return Optional.of(new Credentials.Token(identityToken));
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new StorageException(StorageException.Kind.UNAUTHORIZED, "the 'auth' entry in the Docker"
                        + " configuration " + file + " is not base64; run docker login again");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new StorageException(StorageException.Kind.UNAUTHORIZED, "the 'auth' entry in the Docker"
                        + " configuration " + file + " is not user:password; run docker login again");
            }
            return Optional.of(new Credentials.Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!user.isEmpty() && !password.isEmpty()) {
            return Optional.of(new Credentials.Basic(user, password));
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> matching(JsonNode entries, String host) {
        if (!entries.isObject()) {
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> entry : entries.properties()) {
            if (normalize(entry.getKey()).equals(host)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** {@code https://Index.Docker.io/v1/} and {@code registry-1.docker.io} both become {@code docker.io}. */
    static String normalize(String key) {
        String host = key.trim().toLowerCase(Locale.ROOT);
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return DOCKER_HUB.contains(host) ? "docker.io" : host;
    }

    /** What Docker passes to a helper: the legacy URL for Docker Hub, the host elsewhere. */
    private static String serverUrl(String normalizedHost) {
        return normalizedHost.equals("docker.io") ? DOCKER_HUB_SERVER : normalizedHost;
    }
}
