package dev.wharf.terraform.mirror.upstream;

import dev.wharf.oci.PrintableText;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part a 206 says it holds, taken only when it is the rest of the file asked for: from the byte
 * the download stopped at to the file's last byte. Any other part (another start, an end short of the
 * file, another length of file than the first answer gave, a multipart answer without Content-Range)
 * would be joined at the wrong place, so it is refused rather than left to the SHA256SUMS check,
 * whose mismatch would blame the file's content.
 */
record ResumedPart(long first, long last, long length) {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18})");

    /**
     * The part {@code contentRange} names, when it starts at {@code from} and ends with a file of
     * {@code length} bytes ({@code -1}: the first answer gave no length, and the part's is taken), and
     * {@code contentLength} (when given) is its size; otherwise {@link UpstreamException} with {@code refused}'s
     * words before the reason.
     */
    static ResumedPart of(String contentRange, OptionalLong contentLength, long from, long length, String refused) {
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        String rest = "bytes " + from + "-" + (length < 0 ? "" : String.valueOf(length - 1)) + "/" + (length < 0 ? "*" : String.valueOf(length));
        if (!m.matches()) {
            throw refuse(refused, contentRange, rest);
        }
        ResumedPart part = new ResumedPart(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
        boolean whole = part.first == from && part.last == part.length - 1 && (length < 0 || part.length == length);
        if (!whole) {
            throw refuse(refused, contentRange, rest);
        }
        if (contentLength.isPresent() && contentLength.getAsLong() != part.last - part.first + 1) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, refused + " Content-Range '"
                    + PrintableText.oneLine(contentRange, 100) + "' but Content-Length " + contentLength.getAsLong()
                    + "; nothing of the download is kept");
        }
        return part;
    }

    private static UpstreamException refuse(String refused, String contentRange, String rest) {
        return new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, refused + " Content-Range '"
                + PrintableText.oneLine(contentRange, 100) + "', not the rest of the file (" + rest
                + "); nothing of the download is kept");
    }
}
