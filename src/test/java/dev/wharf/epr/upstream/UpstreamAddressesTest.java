package dev.wharf.epr.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Upstream addresses built from a client's path and query, as Go's url.URL writes them. */
class UpstreamAddressesTest {
    private static final URI BASE = URI.create("https://epr.example.test/mirror/");

    @Test
    void aPathIsDecodedTextEscapedWhereAUriNeedsIt() {
        assertThat(UpstreamAddresses.resolve(BASE, "/package/nginx/1.0.0/docs/README.md"))
                .hasToString("https://epr.example.test/mirror/package/nginx/1.0.0/docs/README.md");
        assertThat(UpstreamAddresses.resolve(BASE, "/package/a b/1.0.0/"))
                .hasToString("https://epr.example.test/mirror/package/a%20b/1.0.0/");
        // '#' and '?' are part of the file's name, not a fragment or a query; '%' is a percent sign.
        assertThat(UpstreamAddresses.resolve(BASE, "/package/n/1.0.0/docs/a#b?c%41.md"))
                .hasToString("https://epr.example.test/mirror/package/n/1.0.0/docs/a%23b%3Fc%2541.md");
        assertThat(UpstreamAddresses.resolve(BASE, "/package/n/1.0.0/img/é.png"))
                .hasToString("https://epr.example.test/mirror/package/n/1.0.0/img/%C3%A9.png");
        assertThat(UpstreamAddresses.resolve(BASE, "package:x/1.0.0/")).hasToString("https://epr.example.test/mirror/package:x/1.0.0/");
    }

    @Test
    void aQueryGoesOnSayingWhatTheClientSaid() {
        URI search = URI.create("https://epr.example.test/search");
        assertThat(UpstreamAddresses.withQuery(search, null)).isEqualTo(search);
        assertThat(UpstreamAddresses.withQuery(search, "")).isEqualTo(search);
        assertThat(UpstreamAddresses.withQuery(search, "kibana.version=8.15.0&package=nginx&prerelease=true"))
                .hasToString("https://epr.example.test/search?kibana.version=8.15.0&package=nginx&prerelease=true");
        // Escapes already there stay; what Java's URI refuses is escaped, a lone '%' as %25.
        assertThat(UpstreamAddresses.withQuery(search, "q=a%20b&package=a|b&x={^}&y=%zz&z=100%"))
                .hasToString("https://epr.example.test/search?q=a%20b&package=a%7Cb&x=%7B%5E%7D&y=%25zz&z=100%25");
        assertThat(UpstreamAddresses.withQuery(search, "q=é")).hasToString("https://epr.example.test/search?q=%C3%A9");
    }
}
