package dev.wharf.http;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server's first handler: answers a repeat GET from {@link ReadyAnswers} on the thread that
 * read it, with Jetty's own request and response, and hands every other request to the thread
 * pool, where the router may block as it likes.
 *
 * <p>It declares itself non-blocking, which lets Jetty run it on the selector thread that parsed
 * the request, as nginx answers on its event loop. Otherwise Jetty hands each request to a pool
 * thread first, and that handoff (thread wake-ups and epoll changes on every request) cost more
 * than the whole of a ready answer (bench/RESULTS.md, figure 1, session 3). The promise holds
 * because nothing here waits: the lookup and the answer's check work from memory
 * ({@link ReadyAnswers.Check}), the write completes asynchronously, and the rest is dispatched.
 */
final class ReadyAnswerHandler extends Handler.Wrapper {
    private static final Pattern ZERO_QUALITY = Pattern.compile("q=0(\\.0{0,3})?");
    private final ReadyAnswers answers;
    private final RequestObserver observer;
    private final Executor router;

    /** @param router where requests without a ready answer are handled: the server's thread pool */
    ReadyAnswerHandler(ReadyAnswers answers, RequestObserver observer, Executor router) {
        this.answers = answers;
        this.observer = observer;
        this.router = router;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.GET.is(request.getMethod())) {
            return toRouter(request, response, callback);
        }
        long start = System.nanoTime();
        HttpURI uri = request.getHttpURI();
        String query = uri.getQuery();
        String target = query == null ? uri.getPath() : uri.getPath() + "?" + query;
        HttpFields headers = request.getHeaders();
        ReadyResponse answer = answers.find(target, headers::get);
        if (answer == null) {
            return toRouter(request, response, callback);
        }
        boolean gzip = answer.hasGzip() && acceptsGzip(headers.get(HttpHeader.ACCEPT_ENCODING));
        ByteBuffer body = answer.body(gzip);
        // Added, not put: no handler before this one writes a response header, and each put walks
        // the fields already there (Jetty's Date) with an iterator of its own.
        HttpFields.Mutable out = response.getHeaders();
        for (HttpField field : answer.headers(gzip)) {
            out.add(field);
        }
        response.setStatus(200);
        request.setAttribute(Exchange.ROUTE_ATTRIBUTE, answer.route());
        // Observed before the write: once the bytes are out the client may already act on them.
        observer.observe(answer.route(), "GET", 200, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        response.write(true, body, callback);
        return true;
    }

    /** Handles the request on a pool thread, as Jetty would have without this handler. */
    private boolean toRouter(Request request, Response response, Callback callback) {
        try {
            router.execute(() -> {
                try {
                    if (!super.handle(request, response, callback)) {
                        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                    }
                } catch (Throwable failure) {
                    callback.failed(failure);
                }
            });
        } catch (RejectedExecutionException e) {
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "the server is overloaded");
        }
        return true;
    }

    /**
     * Whether an Accept-Encoding header allows gzip. RFC 9110 §12.5.3: a coding listed by name is
     * decided by its own weight; {@code *} speaks only for codings the header does not list, so
     * {@code gzip;q=0, *} refuses gzip. {@code x-gzip} is the same coding (§8.4.1.3).
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean named = null;
        Boolean wildcard = null;
        for (String part : acceptEncoding.split(",")) {
            String[] fields = part.split(";");
            String coding = fields[0].trim();
            boolean gzip = coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip");
            if (!gzip && !coding.equals("*")) {
                continue;
            }
            boolean accepted = true;
            for (int i = 1; i < fields.length; i++) {
                String p = fields[i].trim().replace(" ", "");
                if (p.startsWith("q=") && ZERO_QUALITY.matcher(p).matches()) {
                    accepted = false;
                }
            }
            if (gzip) {
                named = named == null ? accepted : named || accepted;
            } else {
                wildcard = wildcard == null ? accepted : wildcard || accepted;
            }
        }
        if (named != null) {
            return named;
        }
        return wildcard != null && wildcard;
    }
}
