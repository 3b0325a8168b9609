package dev.wharf.oci.registry;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code rel="next"} target of {@code Link} headers (RFC 8288, formerly 5988), resolved against
 * the URI of the request that received it, so both {@code </v2/x/tags/list?last=a&n=100>} and an
 * absolute URL work.
 */
final class LinkHeader {
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]*)*)");
    private static final Pattern REL = Pattern.compile("(?i)\\brel\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;,]+))");

    private LinkHeader() {
    }

    static final String NOT_HTTP = "a Link header whose next page is not an http or https URL";

    /** The next page; throws {@link IllegalArgumentException} when it is named but is not an http or https URL. */
    static Optional<URI> next(List<String> headerValues, URI requestUri) {
        for (String value : headerValues) {
            Matcher link = LINK.matcher(value);
            while (link.find()) {
                Matcher rel = REL.matcher(link.group(2));
                if (rel.find()) {
                    String rels = (rel.group(1) != null ? rel.group(1) : rel.group(2)).toLowerCase(Locale.ROOT);
                    if (List.of(rels.split("\\s+")).contains("next")) {
                        return Optional.of(RegistryRedirects.httpTarget(requestUri, link.group(1)).orElseThrow(
                                () -> new IllegalArgumentException(NOT_HTTP)));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
