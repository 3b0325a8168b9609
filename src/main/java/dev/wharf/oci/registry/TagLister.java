package dev.wharf.oci.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.StorageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.io.input.BoundedInputStream;

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
                readPage(answer, call, tags, page);
                try {
                    return LinkHeader.next(answer.headers().allValues("Link"), answer.uri());
                } catch (IllegalArgumentException e) {
                    throw transport.failures().malformed(RegistryTransport.display(answer.uri()), call, LinkHeader.NOT_HTTP);
                }
            }
            case 404 -> {
                AnswerBodies.discard(answer);
                return Optional.empty();
            }
            default -> throw transport.unexpected(answer, call);
        }
    }

    /**
     * Adds the tags of one page as its JSON arrives, token by token, never holding the page: read whole and built as a
     * tree first, a 64 MiB page of one-letter tags had become some 16 million nodes (over 1 GB of heap) before the
     * listing's bound of tags was even looked at. Now a page holding more tags than a listing keeps is refused at the
     * first tag past the bound, and the page limit is counted as the bytes come.
     */
    private void readPage(HttpResponse<InputStream> answer, RegistryCall call, List<String> tags, int page) {
        String url = RegistryTransport.display(answer.uri());
        try (InputStream in = new BufferedInputStream(pageLimit(answer.body(), TAG_PAGE_LIMIT))) {
            in.mark(64);
            byte[] start = in.readNBytes(64);
            in.reset();
            if (OciErrors.looksLikeHtml(answer.headers().firstValue("Content-Type").orElse(null), start)) {
                throw transport.failures().notOci(url, call, "an HTML page");
            }
            try (JsonParser parser = json.getFactory().createParser(in)) {
                readPage(parser, answer, call, tags, page);
            }
        } catch (PageTooLarge e) {
            throw transport.failures().malformed(url, call, "more than " + (TAG_PAGE_LIMIT >> 20) + " MiB");
        } catch (JsonProcessingException e) {
            // Jackson's own limits (a nesting 1,000 deep, say) end here too: a body that is not a tag list.
            throw transport.failures().notOci(url, call, "a body that is not JSON");
        } catch (IOException e) {
            throw transport.failures().transport(e, url, call.repository(), call.action());
        }
    }

    private void readPage(JsonParser parser, HttpResponse<InputStream> answer, RegistryCall call, List<String> tags, int page)
            throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw transport.failures().notOci(RegistryTransport.display(answer.uri()), call, "a body that is not JSON");
        }
        if (first != JsonToken.START_OBJECT) {
            throw notTagList(answer, call);
        }
        boolean named = false;
        boolean listed = false;
        for (JsonToken field = parser.nextToken(); field == JsonToken.FIELD_NAME; field = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("tags")) {
                listed = true;
                if (value == JsonToken.START_ARRAY) {
                    readTags(parser, answer, call, tags, page);
                } else if (value != JsonToken.VALUE_NULL) {
                    throw notTagList(answer, call);
                }
            } else {
                named |= name.equals("name");
                parser.skipChildren();
            }
        }
        if (!named && !listed) {
            throw notTagList(answer, call);
        }
    }

    /** A page's body up to {@code limit} bytes; a read past them fails with {@link PageTooLarge}. */
    private static InputStream pageLimit(InputStream body, long limit) throws IOException {
        // One byte more than the limit may be read, so that a page of exactly the limit still reads to its end.
        return BoundedInputStream.builder().setInputStream(body).setMaxCount(limit + 1)
                .setOnMaxCount((max, count) -> {
                    throw new PageTooLarge();
                }).get();
    }

    private static final class PageTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        PageTooLarge() {
            super("the page is over the limit");
        }
    }

    private void readTags(JsonParser parser, HttpResponse<InputStream> answer, RegistryCall call, List<String> tags, int page)
            throws IOException {
        for (JsonToken tag = parser.nextToken(); tag != JsonToken.END_ARRAY; tag = parser.nextToken()) {
            if (tag != JsonToken.VALUE_STRING) {
                throw notTagList(answer, call);
            }
            if (tags.size() == maxTags) {
                throw transport.failures().beyondBound(call, "the tag list holds more than " + maxTags + " tags (" + page
                        + " pages read), more than Wharf keeps of one repository; check the registry's pagination");
            }
            tags.add(parser.getText());
        }
    }

    private StorageException notTagList(HttpResponse<InputStream> answer, RegistryCall call) {
        return transport.failures().malformed(RegistryTransport.display(answer.uri()), call,
                "JSON without the OCI tag list shape {\"name\":…,\"tags\":[…]}");
    }
}
