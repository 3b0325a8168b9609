package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Conditional headers' lists read as Go's ServeContent reads them (scanETag). */
class EntityTagsTest {
    private static final String TAG = "\"sha256:abc\"";

    @Test
    void aCommaInsideAQuotedTagIsPartOfTheTag() {
        String withComma = "\"v1,v2\"";

        assertThat(EntityTags.noneMatchFails("\"v1,v2\"", withComma)).as("If-None-Match naming the tag").isTrue();
        assertThat(EntityTags.noneMatchFails("\"x\", W/\"v1,v2\"", withComma)).as("If-None-Match naming it weakly, second").isTrue();
        assertThat(EntityTags.matches("\"v1,v2\"", withComma)).as("If-Match naming the tag").isTrue();
        assertThat(EntityTags.matches("\"x\" , \"v1,v2\"", withComma)).as("If-Match naming it second").isTrue();
        // Split on the comma, the halves would be '"v1' and 'v2"': neither may match a tag "v1".
        assertThat(EntityTags.noneMatchFails("\"v1,v2\"", "\"v1\"")).isFalse();
    }

    @Test
    void listsAreReadAsGoReadsThem() {
        assertThat(EntityTags.noneMatchFails("*", null)).as("* without a tag of the body's own").isTrue();
        assertThat(EntityTags.noneMatchFails("\"x\", *", TAG)).as("* after a tag").isTrue();
        assertThat(EntityTags.noneMatchFails(" ,, " + TAG, TAG)).as("empty members are passed over").isTrue();
        assertThat(EntityTags.noneMatchFails("W/" + TAG, TAG)).as("weakly compared").isTrue();
        assertThat(EntityTags.noneMatchFails("nonsense, " + TAG, TAG)).as("a member that is no tag ends the list").isFalse();
        assertThat(EntityTags.matches("W/" + TAG, TAG)).as("If-Match compares strongly").isFalse();
        assertThat(EntityTags.matches("\"unclosed, " + TAG, TAG)).as("an unclosed quote ends the list").isFalse();
        assertThat(EntityTags.matches("*", null)).isTrue();
        assertThat(EntityTags.matches(TAG, null)).as("a body without a tag meets none").isFalse();
    }
}
