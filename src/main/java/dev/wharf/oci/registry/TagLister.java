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
 *
 * <p>A listing is bounded: all its pages share {@link #LISTING_BUDGETS} retry budgets
 * ({@link RegistryTimeouts#retryBudget()}), each page its own at most, it holds at most
 * {@link #MAX_TAGS} tags, and a page may not link to one already read. A registry whose
 * {@code Link} named a new page each time (a counter in the query) had been followed for up to
 * 100,000 pages, tags piling up, long after the client waiting for the list had left.
 */
final class TagLister {
    /**
     * The most tags one listing may hold. A flat layout keeps every provider and module in one
     * repository, and the largest one measured had about 90,000 tags; this allows over five times that. At
     * some 150 bytes of heap a tag (an ~80-character string and its reference), a full list is about 75 MB:
     * beyond it a registry is taken to be answering nonsense, not listing tags.
     */
    static final int MAX_TAGS = 500_000;
    /**
     * Retry budgets one listing's pages share. One would fit Terraform's 10 s wait, but a flat layout of
     * tens of thousands of tags on a registry that pages by 100 needs hundreds of pages: it must still list
     * once, slowly, to fill the tag cache that answers every request after it.
     */
    static final int LISTING_BUDGETS = 4;
    /**
     * A page of tags may be large: distribution 2.x answers a listing without {@code n} in one page, and the
     * flat layout keeps every provider and module in one repository (about 80 bytes a tag, so 4 MiB was
     * some 50,000 tags). Other bodies keep the small limit.
     */
    static final int TAG_PAGE_LIMIT = 64 << 20;

    private final RegistryTransport transport;
    private final int maxTags;
    private final ObjectMapper json = new ObjectMapper();

    TagLister(RegistryTransport transport) {
        this(transport, MAX_TAGS);
    }

    /** With another bound on the tags of one listing (tests). */
    TagLister(RegistryTransport transport, int maxTags) {
        this.transport = transport;
        this.maxTags = maxTags;
    }

    List<String> list(String repository) {
        List<String> tags = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        long deadline = System.nanoTime() + transport.timeouts().retryBudget().toNanos() * LISTING_BUDGETS;
        String path = "/v2/" + repository + "/tags/list";
        for (int page = 1; ; page++) {
            RegistryCall call = RegistryCall.of("GET", path, repository, "list the tags").build();
            if (page > 1 && System.nanoTime() - deadline >= 0) {
                throw transport.failures().beyondBound(call, "the tag list did not end within " + LISTING_BUDGETS + " retry budgets ("
                        + transport.timeouts().retryBudget().multipliedBy(LISTING_BUDGETS).toMillis() + " ms) that all its pages share ("
                        + (page - 1) + " pages, " + tags.size() + " tags read); check the registry's pagination and load, or raise the"
                        + " retry budget");
            }
            long pageDeadline = transport.deadline();
            HttpResponse<InputStream> answer = transport.send(call, pageDeadline - deadline < 0 ? pageDeadline : deadline);
            seen.add(answer.request().uri());
            Optional<URI> next = handle(answer, call, tags, page);
            if (next.isEmpty()) {
                return tags;
            }
            if (!seen.add(next.get())) {
                throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                        "a Link header that points back at a page already read");
            }
            path = next.get().toString();
        }
    }

    /** Adds one page's tags to {@code tags}; the next page, if any. */
    private Optional<URI> handle(HttpResponse<InputStream> answer, RegistryCall call, List<String> tags, int page) {
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
                    for (JsonNode tag : list) {
                        if (tags.size() == maxTags) {
                            throw transport.failures().beyondBound(call, "the tag list holds more than " + maxTags + " tags (" + page
                                    + " pages read), more than Wharf keeps of one repository; check the registry's pagination");
                        }
                        tags.add(tag.asText());
                    }
                }
                return LinkHeader.next(answer.headers().allValues("Link"), answer.uri());
            }
            case 404 -> {
                AnswerBodies.discard(answer);
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
