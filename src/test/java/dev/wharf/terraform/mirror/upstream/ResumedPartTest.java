package dev.wharf.terraform.mirror.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Only the rest of the file from the byte a download stopped at is taken from a 206; every other part is one refusal. */
class ResumedPartTest {
    private static final String SAID = "p.zip from http://files.test answered the resume at byte 100 with";

    @Test
    void theRestOfTheFileIsTakenWithOrWithoutItsLengthKnownBefore() {
        assertThat(ResumedPart.of("bytes 100-999/1000", OptionalLong.of(900), 100, 1000, SAID)).isEqualTo(new ResumedPart(100, 999, 1000));
        assertThat(ResumedPart.of(" bytes 100-999/1000 ", OptionalLong.empty(), 100, -1, SAID)).isEqualTo(new ResumedPart(100, 999, 1000));
    }

    @Test
    void anyOtherPartIsRefusedNamingWhatWasSentAndWhatWasAsked() {
        for (String other : new String[] {"bytes 99-999/1000", "bytes 0-999/1000", "bytes 99-998/1000", "bytes 100-998/1000", "bytes 100-1099/1100", "bytes 100-999/*",
                "bytes */1000", "", "items 100-999/1000", "bytes 100-999/1000, bytes 0-1/1000"}) {
            assertThatThrownBy(() -> ResumedPart.of(other, OptionalLong.empty(), 100, 1000, SAID)).as(other)
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                    .hasMessage(SAID + " Content-Range '" + other + "', not the rest of the file (bytes 100-999/1000); nothing of the download is kept");
        }
        assertThatThrownBy(() -> ResumedPart.of("bytes 100-999/*", OptionalLong.empty(), 100, -1, SAID))
                .hasMessage(SAID + " Content-Range 'bytes 100-999/*', not the rest of the file (bytes 100-/*); nothing of the download is kept");
    }

    @Test
    void aContentLengthOtherThanThePartsIsRefused() {
        assertThatThrownBy(() -> ResumedPart.of("bytes 100-999/1000", OptionalLong.of(1000), 100, 1000, SAID))
                .isInstanceOf(UpstreamException.class)
                .hasMessage(SAID + " Content-Range 'bytes 100-999/1000' but Content-Length 1000; nothing of the download is kept");
    }

    /** The upstream's header is shown on one line, its control characters escaped, as every refusal text is. */
    @Test
    void theContentRangeIsShownWithoutControlCharacters() {
        assertThatThrownBy(() -> ResumedPart.of("bytes 0-1/2\u009b2J", OptionalLong.empty(), 100, 1000, SAID))
                .hasMessageNotContaining("\u009b");
    }
}
