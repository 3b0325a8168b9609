package dev.wharf.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ReadyAnswer} as {@link ReadyAnswerHandler} writes it: its response headers made once,
 * as Jetty fields already encoded, for the plain body and for the gzipped one. Built per request,
 * each header was a new field encoded character by character, and Content-Length a number formatted
 * each time: about 5 % of all the server allocated under figure 1's load, and 13 % more UI pages
 * answered per second once made once (bench/RESULTS.md, session 27). Jetty's fields are immutable,
 * so every response shares them.
 */
final class ReadyResponse {
    private final ReadyAnswer answer;
    private final HttpField[] plainHeaders;
    private final HttpField @Nullable [] gzipHeaders;
    private final int size;

    ReadyResponse(ReadyAnswer answer) {
        this.answer = answer;
        this.plainHeaders = headers(answer, false);
        this.gzipHeaders = answer.gzipped() == null ? null : headers(answer, true);
        this.size = answer.size() + headerBytes(plainHeaders) + (gzipHeaders == null ? 0 : headerBytes(gzipHeaders));
    }

    String route() {
        return answer.route();
    }

    /** Whether a gzipped body exists for clients that accept one. */
    boolean hasGzip() {
        return gzipHeaders != null;
    }

    /** The headers for the plain body, or, when {@link #hasGzip()} and asked, for the gzipped one. */
    HttpField[] headers(boolean gzip) {
        return gzip && gzipHeaders != null ? gzipHeaders : plainHeaders;
    }

    /** The body's bytes for one response: its own position, the shared content. */
    ByteBuffer body(boolean gzip) {
        return answer.bodyToSend(gzip);
    }

    /** What it holds, about: its bodies and its headers' text, twice, as each field keeps an encoding per HTTP version. */
    int size() {
        return size;
    }

    private static int headerBytes(HttpField[] fields) {
        int bytes = 0;
        for (HttpField f : fields) {
            bytes += 2 * (f.getName().length() + f.getValue().length());
        }
        return bytes;
    }

    /** Content type, the answer's own headers, Vary when a gzipped body exists, its encoding, the length: in that order. */
    private static HttpField[] headers(ReadyAnswer answer, boolean gzip) {
        List<HttpField> fields = new ArrayList<>();
        fields.add(new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, answer.contentType()));
        for (ReadyAnswer.Header h : answer.headers()) {
            fields.add(new PreEncodedHttpField(h.name(), h.value()));
        }
        if (answer.gzipped() != null) {
            fields.add(new PreEncodedHttpField(HttpHeader.VARY, "Accept-Encoding"));
        }
        if (gzip) {
            fields.add(new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, "gzip"));
        }
        // A long-valued field: Jetty reads the length back as a number, on every response.
        fields.add(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, answer.bodyToSend(gzip).remaining()));
        return fields.toArray(HttpField[]::new);
    }
}
