package dev.wharf.oci.registry;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One request to the registry, described so the transport can send it again (after a 401 or for a
 * retry): the body is a supplier that opens the content afresh each time.
 *
 * @param path        a path below the registry ({@code /v2/...}) or an absolute URI (upload locations, Link pages)
 * @param repository  the repository, for scopes and messages
 * @param action      what the user was doing, for messages ("list the tags", "push the manifest")
 * @param idempotent  whether the transport may repeat the request on transient failures
 * @param upload      whether the body is blob content of any size: bounded by the idle timeout while it
 *                    goes out, and by the response timeout only after its last byte
 * @param streamed    whether a successful answer's body is content of any size, handed on as a stream (a blob):
 *                    bounded by the idle timeout alone. Every other body must arrive whole within the request's
 *                    deadline ({@code RegistryTransport}), however steadily it trickles.
 */
record RegistryCall(String method, String path, Map<String, String> headers, Supplier<HttpRequest.BodyPublisher> body,
                    @Nullable String repository, List<String> scopes, String action, boolean idempotent, boolean followRedirects,
                    boolean upload, boolean streamed) {

    static Builder of(String method, String path, @Nullable String repository, String action) {
        return new Builder(method, path, repository, action);
    }

    /** {@code repository:<name>:pull} for reads, {@code pull,push} for writes, {@code delete} for deletes, as distribution maps them. */
    static List<String> scopesFor(String method, @Nullable String repository) {
        if (repository == null) {
            return List.of();
        }
        String actions = switch (method) {
            case "GET", "HEAD" -> "pull";
            case "DELETE" -> "delete";
            default -> "pull,push";
        };
        return List.of("repository:" + repository + ":" + actions);
    }

    boolean isWrite() {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    URI resolve(URI base) {
        return path.startsWith("http://") || path.startsWith("https://") ? URI.create(path) : base.resolve(path);
    }

    static final class Builder {
        private final String method;
        private final String path;
        private final @Nullable String repository;
        private final String action;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Supplier<HttpRequest.BodyPublisher> body = HttpRequest.BodyPublishers::noBody;
        private @Nullable List<String> scopes;
        private boolean idempotent;
        private boolean followRedirects;
        private boolean upload;
        private boolean streamed;

        private Builder(String method, String path, @Nullable String repository, String action) {
            this.method = method;
            this.path = path;
            this.repository = repository;
            this.action = action;
            this.idempotent = !method.equals("POST") && !method.equals("PATCH");
        }

        Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Builder body(Supplier<HttpRequest.BodyPublisher> body) {
            this.body = body;
            return this;
        }

        Builder scopes(List<String> scopes) {
            this.scopes = scopes;
            return this;
        }

        Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        Builder followRedirects() {
            this.followRedirects = true;
            return this;
        }

        Builder upload() {
            this.upload = true;
            return this;
        }

        Builder streamed() {
            this.streamed = true;
            return this;
        }

        RegistryCall build() {
            return new RegistryCall(method, path, Map.copyOf(headers), body, repository,
                    scopes != null ? scopes : scopesFor(method, repository), action, idempotent, followRedirects, upload, streamed);
        }
    }
}
