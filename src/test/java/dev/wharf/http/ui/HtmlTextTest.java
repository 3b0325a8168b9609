package dev.wharf.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTextTest {
    @Test
    void markupIsEscapedAndControlCharactersBecomeTheReplacementCharacter() {
        assertThat(HtmlText.escape("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(HtmlText.escape("a\u0000b\u0007c\u001bd\u007fe\u0085f")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf");
        // Whitespace and text beyond ASCII are kept as they are.
        assertThat(HtmlText.escape("line\tone\r\nzwei · 三")).isEqualTo("line\tone\r\nzwei · 三");
    }

    @Test
    void aReasonIsOneLineItsOverrideShownEscapedAndCutAtItsBound() {
        assertThat(HtmlText.reason("found '<b>left\u202E then</b>'\nnext line")).isEqualTo(
                "found &#39;&lt;b&gt;left\\u202e then&lt;/b&gt;&#39; next line");
        String reason = HtmlText.reason("x".repeat(5000));
        assertThat(reason).hasSize(HtmlText.MAX_REASON + 1).endsWith("x…");
    }
}
