package dev.wharf.epr.api;

import dev.wharf.epr.index.Resource;
import dev.wharf.http.ExactContentType;
import dev.wharf.http.NotModified;
import dev.wharf.http.RangeAnswer;
import dev.wharf.http.ReadyAnswer;
import dev.wharf.http.ResponseBodies;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How EPR writes its answers: JSON with cache headers, a package's zip, signature or file as a 200 (a chunk at a time, as the client takes them), and Go's plain-text errors. */
final class EprReplies {

    private EprReplies() {
    }

    static void stream(Context ctx, String contentType, Resource resource) throws IOException {
        if (notModified(ctx, resource)) {
            return;
        }
        boolean head = ctx.method().name().equals("HEAD");
        // Found before any header is set: the OCI indexer may have to download the zip first, and an
        // error answer must not go out with this answer's length (Jetty then sends its own 500).
        Optional<Path> file = head ? Optional.empty() : resource.file();
        ExactContentType.set(ctx, contentType);
        if (resource.size() >= 0) {
            ctx.res().setContentLengthLong(resource.size());
        }
        ctx.status(200);
        if (head) {
            if (resource.location() != null && resource.size() >= 0) {
                // What GET says of a file (ResponseBodies), a Range's part included, without fetching the file to say it.
                RangeAnswer.set(ctx, resource.size());
            } else if (resource.location() != null) {
                ctx.header("Accept-Ranges", "bytes");
            }
            return;
        }
        if (file.isPresent()) {
            // A package zip: read into Jetty's pooled buffers, not copied through the heap in 8 KB pieces (bench/RESULTS.md, figure 2).
            ResponseBodies.sendFile(ctx, file.get());
            return;
        }
        // A folder zipped on the fly, a file inside a zip: read a chunk at a time, as the client takes them.
        ResponseBodies.send(ctx, resource::open);
    }

    /**
     * What a package's own file is answered with besides EPR's headers. The file is served on the
     * registry's origin, where {@code /ui/} is: an HTML page, an SVG or a file sniffed as HTML that
     * a publisher put in a package ran its script there, able to read the signed-in pages and
     * post to them. The bytes stay EPR's (Kibana fetches them from its server and passes on only
     * their type); opened in a browser, the page runs no script, sends no form, loads nothing from
     * elsewhere, and has an origin of its own (sandbox).
     */
    static final String PACKAGE_FILE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

    static void inert(Context ctx) {
        ctx.header("Content-Security-Policy", PACKAGE_FILE_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    /** A file no MIME table names, typed from its first bytes as Go's {@code http.ServeContent} types it. */
    static void sniffed(Context ctx, Resource resource) throws IOException {
        if (notModified(ctx, resource)) {
            return;
        }
        if (resource.size() >= 0) {
            ctx.res().setContentLengthLong(resource.size());
        }
        ctx.status(200);
        boolean head = ctx.method().name().equals("HEAD");
        SniffingOutput out = new SniffingOutput(head ? OutputStream.nullOutputStream() : ctx.res().getOutputStream(),
                type -> ExactContentType.set(ctx, type));
        resource.writeTo(out);
        out.finish();
    }

    /**
     * Sets what identifies the content (a blob's digest as its entity tag, a file's time as its
     * Last-Modified) and answers 304 to a client whose copy is current: before the zip is fetched
     * from the registry, when it has to be.
     */
    private static boolean notModified(Context ctx, Resource resource) {
        return NotModified.answered(ctx, resource.stamp().digest(), resource.stamp().modified());
    }

    /** What EPR's CORS middleware sets on every answer of its routes. */
    static final ReadyAnswer.Header ALLOW_ANY_ORIGIN = new ReadyAnswer.Header("Access-Control-Allow-Origin", "*");

    /**
     * Gzipped for a client that accepts it, as the ready answers are, and with their Vary: left to
     * Javalin, the answer was gzipped without Vary, and a cache in front could keep that copy of a
     * public answer for clients that cannot read it.
     */
    static void json(Context ctx, Duration cacheTime, byte[] body) {
        ReadyAnswer.sendOnce(ctx, "application/json", cacheHeaders(cacheTime), body, true);
    }

    static void cache(Context ctx, Duration cacheTime) {
        cacheHeaders(cacheTime).forEach(h -> ctx.res().addHeader(h.name(), h.value()));
    }

    /** Set on the first answer and on its ready repeats alike. */
    static List<ReadyAnswer.Header> cacheHeaders(Duration cacheTime) {
        return List.of(new ReadyAnswer.Header("Cache-Control", "max-age=" + cacheTime.toSeconds()),
                new ReadyAnswer.Header("Cache-Control", "public"));
    }

    static void noCache(Context ctx) {
        ctx.res().setHeader("Cache-Control", null);
        ctx.res().addHeader("Cache-Control", "max-age=0");
        ctx.res().addHeader("Cache-Control", "private, no-store");
    }

    /** Go's {@code http.Error}: plain text, the message and a newline, never cached. */
    static void error(Context ctx, int status, String message) {
        GoAnswers.error(ctx, status, message);
    }
}
