package dev.wharf.epr.api;

import dev.wharf.epr.index.Resource;
import dev.wharf.http.ExactContentType;
import dev.wharf.http.ResponseBodies;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/** A package's zip, signature or file sent as the body of a 200, its status and headers first. */
final class ResourceAnswers {
    private ResourceAnswers() {
    }

    static void stream(Context ctx, String contentType, Resource resource) throws IOException {
        ExactContentType.set(ctx, contentType);
        if (resource.size() >= 0) {
            ctx.res().setContentLengthLong(resource.size());
        }
        ctx.status(200);
        if (ctx.method().name().equals("HEAD")) {
            return;
        }
        Optional<Path> file = resource.file();
        if (file.isPresent()) {
            // A package zip: mapped, not copied through the heap in 8 KB pieces (bench/RESULTS.md, figure 2).
            ResponseBodies.sendFile(ctx, file.get());
            return;
        }
        OutputStream out = ctx.res().getOutputStream();
        resource.writeTo(out);
        out.flush();
    }

    /** A file no MIME table names, typed from its first bytes as Go's {@code http.ServeContent} types it. */
    static void sniffed(Context ctx, Resource resource) throws IOException {
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
}
