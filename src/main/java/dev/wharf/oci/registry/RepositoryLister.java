package dev.wharf.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v2/_catalog}, following {@code Link} pages, with the {@code registry:catalog:*} scope
 * distribution's token servers ask for. 200 is a page of repository names. The catalog is optional
 * in the distribution spec and many hosted registries leave it out (Docker Hub, GHCR, ECR answer
 * 404, 401 or 403 to it), so 404, 405 and an {@code UNSUPPORTED} error read as "this registry does
 * not list its repositories": the flat layout, which keeps everything in one repository's tags,
 * needs no catalog.
 */
final class RepositoryLister {
    private static final int PAGE_SIZE = 1000;
    private static final int MAX_PAGES = 10_000;

    private final RegistryTransport transport;
    private final ObjectMapper json = new ObjectMapper();

    RepositoryLister(RegistryTransport transport) {
        this.transport = transport;
    }

    /** Every repository whose name starts with {@code prefix}, sorted. */
    List<String> list(String prefix) {
        List<String> names = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        String path = "/v2/_catalog?n=" + PAGE_SIZE;
        for (int page = 0; page < MAX_PAGES; page++) {
            RegistryCall call = RegistryCall.of("GET", path, null, "list the repositories")
                    .scopes(List.of("registry:catalog:*")).build();
            HttpResponse<InputStream> answer = transport.send(call);
            Optional<URI> next = handle(answer, call, names);
            if (next.isEmpty()) {
                return names.stream().filter(n -> n.startsWith(prefix)).sorted().toList();
            }
            if (!seen.add(next.get())) {
                throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                        "a Link header that points back at a page already read");
            }
            path = next.get().toString();
        }
        throw transport.failures().malformed(path, RegistryCall.of("GET", path, null, "list the repositories").build(),
                "more than " + MAX_PAGES + " pages of repositories");
    }

    private Optional<URI> handle(HttpResponse<InputStream> answer, RegistryCall call, List<String> names) {
        int status = answer.statusCode();
        if (status == 200) {
            byte[] body = transport.readSmall(answer, call, answer.uri());
            JsonNode list = parse(body, answer, call).get("repositories");
            if (list == null || !(list.isArray() || list.isNull())) {
                throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                        "JSON without the catalog shape {\"repositories\":[…]}");
            }
            list.forEach(n -> names.add(n.asText()));
            return LinkHeader.next(answer.headers().allValues("Link"), answer.uri());
        }
        if (status == 404 || status == 405) {
            AnswerBodies.discard(answer);
            throw unsupported();
        }
        byte[] body = transport.readSmall(answer, call, answer.uri());
        if (OciErrors.parse(body).has(OciErrorCode.UNSUPPORTED)) {
            throw unsupported();
        }
        throw transport.unexpected(answer, call, body);
    }

    private StorageException unsupported() {
        return new StorageException(Kind.UNSUPPORTED, transport.describe() + " does not list its repositories (/v2/_catalog); "
                + "with the flat layout (every artifact in one repository) no list is needed");
    }

    private JsonNode parse(byte[] body, HttpResponse<InputStream> answer, RegistryCall call) {
        if (OciErrors.looksLikeHtml(answer.headers().firstValue("Content-Type").orElse(null), body)) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "an HTML page");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IOException("not an object");
            }
            return node;
        } catch (IOException e) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "a body that is not a JSON object");
        }
    }
}
