package dev.wharf.terraform.mirror.upstream;

import dev.wharf.oci.PrintableText;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * The validator a resume sends as {@code If-Range}, naming the file as its last whole answer gave it,
 * and the check that a 206 names that same file. An upstream that ignores {@code If-Range} (a proxy in
 * front that answers ranges from its own copy, a server that does not implement it) would answer a
 * file changed since with the new file's part, and the download would join two versions: the
 * SHA256SUMS check would then blame the file's content. The comparison is the strong one If-Range
 * itself uses (RFC 9110 §13.1.5, §8.8.3.2): the same strong entity tag, or the very same
 * Last-Modified when the If-Range was a date; a weak or missing one names no file for certain.
 */
record IfRange(String value) {
    /** The strong ETag of {@code whole}, else its Last-Modified; empty when it has neither, and no resume can name the file. */
    static Optional<IfRange> of(HttpHeaders whole) {
        Optional<String> etag = whole.firstValue("ETag").filter(IfRange::strong);
        return etag.or(() -> whole.firstValue("Last-Modified")).map(IfRange::new);
    }

    /** Why {@code partial}, a 206 to a resume that sent this, is not a part of the same file; empty when it is. */
    Optional<String> mismatch(HttpHeaders partial) {
        boolean entityTag = value.startsWith("\"");
        String name = entityTag ? "ETag" : "Last-Modified";
        Optional<String> given = partial.firstValue(name);
        if (given.isPresent() && given.get().equals(value) && (!entityTag || strong(given.get()))) {
            return Optional.empty();
        }
        String was = given.map(v -> "with " + name + " " + PrintableText.oneLine(v, 100)).orElse(entityTag ? "without an ETag" : "without a Last-Modified");
        return Optional.of("a part " + was + " where the If-Range named " + PrintableText.oneLine(value, 100));
    }

    private static boolean strong(String etag) {
        return etag.startsWith("\"");
    }
}
