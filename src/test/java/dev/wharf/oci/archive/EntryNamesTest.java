package dev.wharf.oci.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntryNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"../../../../tmp/x", "/etc/abs", "a/../../b", "..", "a/..", "..\\..\\..\\..\\etc\\hostname", "a\\b",
        "C:/Windows/x", "c:x", "a\u0000b", "", "//server/share", "docs/../../x.md"})
    void refusesNamesThatUnpackAnywhereButUnderTheRoot(String name) {
        assertThat(EntryNames.problem(name)).isPresent();
        assertThatThrownBy(() -> EntryNames.check(name)).isInstanceOf(ArchiveRefusedException.class)
                .hasMessageContaining("entry '").hasMessageNotContaining("\u0000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main.tf", "sub/", "a/b.c", "..a", "a..", "./a", "nginx-1.2.0/docs/README.md", "ünïcode.txt"})
    void acceptsPlainRelativeNames(String name) {
        assertThat(EntryNames.problem(name)).isEmpty();
    }

    @Test
    void aNameIsQuotedEscapedAndCutAt200CharactersWhateverItsLength() {
        assertThatThrownBy(() -> EntryNames.check("/" + "a".repeat(9_999))).isInstanceOf(ArchiveRefusedException.class)
                .hasMessage("entry '/" + "a".repeat(199) + "…' is an absolute path");
        assertThat(EntryNames.printable("../x\n\u001b[31m\u202e.tf")).isEqualTo("../x\\x0a\\x1b[31m\\u202e.tf");
        assertThat(EntryNames.printable("b".repeat(200))).isEqualTo("b".repeat(200));
    }
}
