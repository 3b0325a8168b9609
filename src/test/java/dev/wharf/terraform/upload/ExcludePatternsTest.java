package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Against boring-registry's matcher (cmd/uploadmodule.go parseExcludePatterns: go-git's
 * plumbing/format/gitignore/pattern.go over Go's filepath.Match): every expected value below is what
 * {@code ParsePattern(p, nil).Match(strings.Split(path, "/"), isDir) == Exclude} printed when compiled
 * against boring-registry's vendored pattern.go.
 */
class ExcludePatternsTest {
    @ParameterizedTest(name = "''{0}'' excludes ''{1}'' ({2}): {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # filepath.Match character classes and escapes, in a pattern without '/' matched against every name
            "test[0-9].tf"  | test1.tf        | file | true
            "test[0-9].tf"  | test10.tf       | file | false
            "test[0-9].tf"  | sub/test2.tf    | file | true
            "test[0-9].tf"  | testa.tf        | file | false
            "*.[m]d"        | notes.md        | file | true
            "*.[m]d"        | docs/notes.md   | file | true
            "*.[m]d"        | notes.txt       | file | false
            "[^a]*.tf"      | b.tf            | file | true
            "[^a]*.tf"      | a.tf            | file | false
            # Go negates a class with '^' only: '!' is a character of it
            "[!a]*.tf"      | !x.tf           | file | true
            "[!a]*.tf"      | b.tf            | file | false
            "[a-c]x"        | bx              | file | true
            "[z-a]x"        | bx              | file | false
            "[\\]]x"        | ]x              | file | true
            "\\*.tf"        | *.tf            | file | true
            "\\*.tf"        | a.tf            | file | false
            "?.tf"          | a.tf            | file | true
            "?.tf"          | ab.tf           | file | false
            # pattern.go ParsePattern: trailing spaces dropped unless escaped, leading ones kept
            "foo\\ "        | "foo "          | file | true
            "foo  "         | foo             | file | true
            " foo"          | " foo"          | file | true
            " foo"          | foo             | file | false
            # a '/' anchors at the module root; ** spans directories; a trailing / wants a directory
            "/top.txt"      | top.txt         | file | true
            "/top.txt"      | sub/top.txt     | file | false
            "**/deep/*.log" | a/b/deep/x.log  | file | true
            "**/deep/*.log" | deep/x.log      | file | true
            "docs/"         | docs            | dir  | true
            "docs/"         | docs            | file | false
            "docs/"         | docs/x          | file | true
            "a/b/"          | a/b             | file | false
            "a/b/"          | a/b/c           | file | true
            "a/**"          | a               | dir  | true
            "a/**"          | a/x/y           | file | true
            "a/**/z"        | a/z             | file | true
            "a/**/z"        | a/b/c/z         | file | true
            "a/**/z"        | a/b/c/y         | file | false
            "**/z/**"       | a/z/q           | file | true
            """)
    void matchesAsBoringRegistryDoes(String pattern, String path, String kind, boolean excluded) {
        assertThat(ExcludePatterns.of(List.of(pattern)).excludes(path, kind.equals("dir"))).isEqualTo(excluded);
    }

    /** Go's filepath.Match reports these as ErrBadPattern and go-git then never matches them: refused here instead. */
    @ParameterizedTest
    @ValueSource(strings = {"test[0-9", "x\\", "[]a]", "[a-]", "[^]", "a/b**/c"})
    void patternsBoringRegistryWouldNeverMatchAreRefused(String pattern) {
        assertThatThrownBy(() -> ExcludePatterns.of(List.of(pattern))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--exclude ").hasMessageContaining("'" + pattern + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"!keep.tf"})
    void negationsAreRefusedAsBoringRegistryRefusesThem(String pattern) {
        assertThatThrownBy(() -> ExcludePatterns.of(List.of(pattern))).hasMessageContaining("negation patterns are not supported");
    }
}
