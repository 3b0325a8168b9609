package dev.wharf.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code GET /v2/<name>/tags/list}, following {@code Link} pages. 200 is a page of tags, 404 an
 * unknown repository (no tags); anything else fails.
 */
final class TagLister {
    private static final int MAX_TAG_PAGES = 100_000;
    /**
     * A page of tags may be large: distribution 2.x answers a listing without {@code n} in one page, and the
     * flat layout keeps every provider and module in one repository (about 80 bytes a tag, so 4 MiB was
     * some 50,000 tags). Other bodies keep the small limit.
     */
    static final int TAG_PAGE_LIMIT = 64 << 20;

    private final RegistryTransport transport;
    private final ObjectMapper json = new ObjectMapper();

    TagLister(RegistryTransport transport) {
        this.transport = transport;
    }

    List<String> list(String repository) {
        List<String> tags = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        String path = "/v2/" + repository + "/tags/list";
        for (int page = 0; page < MAX_TAG_PAGES; page++) {
            RegistryCall call = RegistryCall.of("GET", path, repository, "list the tags").build();
            HttpResponse<InputStream> answer = transport.send(call);
            Optional<URI> next = handle(answer, call, tags);
            if (next.isEmpty()) {
                return tags;
            }
            if (!seen.add(next.get())) {
                throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                        "a Link header that points back at a page already read");
            }
            path = next.get().toString();
        }
        throw transport.failures().malformed(path, RegistryCall.of("GET", path, repository, "list the tags").build(),
                "more than " + MAX_TAG_PAGES + " pages of tags");
    }

    /** Adds one page's tags to {@code tags}; the next page, if any. */
    private Optional<URI> handle(HttpResponse<InputStream> answer, RegistryCall call, List<String> tags) {
        switch (answer.statusCode()) {
            case 200 -> {
                byte[] body = transport.readBounded(answer, call, answer.uri(), TAG_PAGE_LIMIT);
                JsonNode root = parseJson(body, answer, call);
                JsonNode list = root.get("tags");
                if (!root.isObject() || (list == null && !root.has("name")) || (list != null && !list.isNull() && !list.isArray())) {
                    throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                            "JSON without the OCI tag list shape {\"name\":…,\"tags\":[…]}");
                }
                if (list != null) {
                    list.forEach(t -> tags.add(t.asText()));
                }
                return LinkHeader.next(answer.headers().allValues("Link"), answer.uri());
            }
            case 404 -> {
                RegistryTransport.discard(answer);
                return Optional.empty();
            }
            default -> throw transport.unexpected(answer, call);
        }
    }

    private JsonNode parseJson(byte[] body, HttpResponse<InputStream> answer, RegistryCall call) {
        if (OciErrors.looksLikeHtml(answer.headers().firstValue("Content-Type").orElse(null), body)) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "an HTML page");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null) {
                throw new IOException("empty");
            }
            return node;
        } catch (IOException e) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "a body that is not JSON");
        }
    }
}
