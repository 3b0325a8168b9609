package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkHeaderTest {
    private static final URI REQUEST = URI.create("https://r.example/v2/a/b/tags/list?n=2");

    @Test
    void relativeAndAbsoluteNextLinks() {
        assertThat(LinkHeader.next(List.of("</v2/a/b/tags/list?last=x&n=2>; rel=\"next\""), REQUEST))
                .contains(URI.create("https://r.example/v2/a/b/tags/list?last=x&n=2"));
        assertThat(LinkHeader.next(List.of("<https://other.example/v2/a/b/tags/list?last=y>; rel=next"), REQUEST))
                .contains(URI.create("https://other.example/v2/a/b/tags/list?last=y"));
    }

    @Test
    void picksNextAmongSeveralRelations() {
        assertThat(LinkHeader.next(List.of("</first>; rel=\"first\", </p2>; title=\"x\"; rel=\"prev next\""), REQUEST))
                .contains(URI.create("https://r.example/p2"));
        assertThat(LinkHeader.next(List.of("</p0>; rel=\"prev\""), REQUEST)).isEmpty();
        assertThat(LinkHeader.next(List.of(), REQUEST)).isEmpty();
    }
}
