package dev.wharf.http;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sits in front of the router and answers a GET from {@link ReadyAnswers} when it can, with
 * Jetty's own request and response: no servlet wrappers, no routing, one write of bytes already
 * made. Everything else passes through untouched.
 */
final class ReadyAnswerHandler extends Handler.Wrapper {
    private final ReadyAnswers answers;
    private final RequestObserver observer;

    ReadyAnswerHandler(ReadyAnswers answers, RequestObserver observer) {
        this.answers = answers;
        this.observer = observer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.GET.is(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        long start = System.nanoTime();
        HttpURI uri = request.getHttpURI();
        String query = uri.getQuery();
        String target = query == null ? uri.getPath() : uri.getPath() + "?" + query;
        HttpFields headers = request.getHeaders();
        Optional<ReadyAnswer> found = answers.find(target, headers::get);
        if (found.isEmpty()) {
            return super.handle(request, response, callback);
        }
        ReadyAnswer answer = found.get();
        boolean gzip = answer.gzipped() != null && acceptsGzip(headers.get(HttpHeader.ACCEPT_ENCODING));
        ByteBuffer body = answer.bodyToSend(gzip);
        HttpFields.Mutable out = response.getHeaders();
        out.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        for (ReadyAnswer.Header h : answer.headers()) {
            out.add(h.name(), h.value());
        }
        if (answer.gzipped() != null) {
            out.put(HttpHeader.VARY, "Accept-Encoding");
        }
        if (gzip) {
            out.put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        out.put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.setStatus(200);
        // Observed before the write: once the bytes are out the client may already act on them.
        observer.observe(answer.route(), "GET", 200, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        response.write(true, body, callback);
        return true;
    }

    /** Whether an Accept-Encoding header allows gzip (present, and not with q=0). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] fields = part.split(";");
            String coding = fields[0].trim();
            if (!coding.equalsIgnoreCase("gzip") && !coding.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < fields.length; i++) {
                String p = fields[i].trim().replace(" ", "");
                if (p.startsWith("q=") && p.substring(2).matches("0(\\.0{0,3})?")) {
                    refused = true;
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }
}
