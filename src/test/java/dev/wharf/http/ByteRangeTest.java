package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {
    private static final String TAG = "\"sha256:abc\"";

    /** Each Range header against a body of 1000 bytes: what is sent ('whole', 'none', or first-last). */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "null | whole",
            "bytes=0-9 | 0-9",
            "bytes=990- | 990-999",
            "bytes=990-5000 | 990-999",
            "bytes=-10 | 990-999",
            "bytes=-5000 | 0-999",
            "BYTES=5-6 | 5-6",
            "bytes = 5-6 | whole",
            "bytes=999-999 | 999-999",
            "bytes=100-99999999999999999999999 | 100-999",
            "bytes=1000- | none",
            "bytes=99999999999999999999999- | none",
            "bytes=-0 | none",
            "bytes=9-5 | whole",
            "bytes=0-1,5-6 | whole",
            "items=0-9 | whole",
            "bytes=a-b | whole",
            "bytes=5 | whole",
            "bytes=-5-6 | whole",
            "bytes=+5-6 | whole"})
    void aRangeIsResolvedAgainstTheBodysLength(String range, String expected) {
        assertThat(describe(ByteRange.asked(range, null, TAG, null, 1000))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "If-Range {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "'\"sha256:abc\"' | 0-9",
            "' \"sha256:abc\" ' | 0-9",
            "'W/\"sha256:abc\"' | whole",
            "'\"other\"' | whole",
            "'Sat, 05 Dec 2026 13:00:00 GMT' | whole"})
    void ifRangeAsksForThePartOnlyWithTheBodysOwnStrongTag(String ifRange, String expected) {
        assertThat(describe(ByteRange.asked("bytes=0-9", ifRange, TAG, null, 1000))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "If-Range {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "'Sat, 05 Dec 2026 13:00:00 GMT' | 0-9",
            "' Sat, 05 Dec 2026 13:00:00 GMT ' | 0-9",
            "'Sat, 05 Dec 2026 13:00:01 GMT' | whole",
            "'Fri, 04 Dec 2026 13:00:00 GMT' | whole",
            "'\"sha256:abc\"' | whole"})
    void ifRangeAsksForThePartWithTheBodysOwnLastModifiedWhenItHasNoTag(String ifRange, String expected) {
        assertThat(describe(ByteRange.asked("bytes=0-9", ifRange, null, "Sat, 05 Dec 2026 13:00:00 GMT", 1000))).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void withoutATagOrALengthOnlyTheWholeCanBeAskedFor() {
        assertThat(ByteRange.asked("bytes=0-9", TAG, null, null, 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.asked("bytes=0-9", TAG, "W/" + TAG, null, 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.asked("bytes=0-9", null, null, null, -1)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.asked("bytes=0-", null, null, null, 0)).isEqualTo(new ByteRange.Unsatisfiable(0));
        assertThat(ByteRange.asked("bytes=-5", null, null, null, 0)).isEqualTo(new ByteRange.Unsatisfiable(0));
        assertThat(new ByteRange.Part(990, 999, 1000).contentRange()).isEqualTo("bytes 990-999/1000");
        assertThat(new ByteRange.Unsatisfiable(1000).contentRange()).isEqualTo("bytes */1000");
    }

    private static String describe(ByteRange range) {
        if (range instanceof ByteRange.Part p) {
            return p.first() + "-" + p.last();
        }
        return range instanceof ByteRange.Unsatisfiable ? "none" : "whole";
    }
}
