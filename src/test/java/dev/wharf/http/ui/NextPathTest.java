package dev.wharf.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NextPathTest {
    private static final String ROOT = "/ui/";

    /** Paths that leave /ui/ once dot segments are taken out, written every way a browser reads as dots. */
    @Test
    void aNextThatLeavesTheUiOnceResolvedLeadsToTheUisRoot() {
        for (String next : List.of("/ui/../..//evil.example/x", "/ui/../search", "/ui/..", "/ui/%2e%2e/%2E%2E//evil.example/",
                "/ui/.%2e/%2e.//evil.example/", "/ui/%2e%2e", "/ui/a/../../..//evil.example/?next=/ui/", "/ui/./%2E/../..//evil.example#/ui/")) {
            assertThat(NextPath.within(next, ROOT)).as(next).isEqualTo(ROOT);
        }
    }

    @Test
    void backslashesControlCharactersAndOtherHostsLeadToTheUisRoot() {
        for (String next : List.of("/ui/\\evil", "/ui/..\\..\\/evil.example", "\\\\evil.example/ui/", "/ui/%2e%2e\\..//evil.example",
                "/ui/\t/..//evil", "//evil.example/ui/", "https://evil.example/ui/", "/search", "ui/", "/ui", "")) {
            assertThat(NextPath.within(next, ROOT)).as(next).isEqualTo(ROOT);
        }
        assertThat(NextPath.within(null, ROOT)).isEqualTo(ROOT);
    }

    /** A path that stays under /ui/ comes back as the browser would ask for it, query and fragment untouched. */
    @Test
    void aNextUnderTheUiIsKeptResolved() {
        assertThat(NextPath.within("/ui/providers/acme/dummy", ROOT)).isEqualTo("/ui/providers/acme/dummy");
        assertThat(NextPath.within("/ui/?q=a%2Fb&namespace=acme", ROOT)).isEqualTo("/ui/?q=a%2Fb&namespace=acme");
        assertThat(NextPath.within("/ui/a/../b?next=/../..//x#/..", ROOT)).isEqualTo("/ui/b?next=/../..//x#/..");
        assertThat(NextPath.within("/ui/packages/x/%2e%2e/y", ROOT)).isEqualTo("/ui/packages/y");
        assertThat(NextPath.within("/ui/./", ROOT)).isEqualTo("/ui/");
        assertThat(NextPath.within("/ui/a/..", ROOT)).isEqualTo("/ui/");
        assertThat(NextPath.within("/ui/a/%2E", ROOT)).isEqualTo("/ui/a/");
    }
}
