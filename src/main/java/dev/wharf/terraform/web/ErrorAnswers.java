package dev.wharf.terraform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.AnonymousFailures;
import dev.wharf.http.RequestIds;
import dev.wharf.oci.StorageException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Errors as the Terraform registry protocols write them, {@code {"errors":["…"]}}. A failure of
 * the server's own (5xx) tells the client what failed in general terms and a request id; the
 * detail, which names the registry, repository and user, goes to the log under that id.
 */
public final class ErrorAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorAnswers() {
    }

    public static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result(body(message));
    }

    /** The registry protocols' error body: {@code {"errors":[message]}}. */
    static byte[] body(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errors").add(message);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A failure on the server's side: general terms and a request id to the client, the detail to the log. */
    public static void failure(Context ctx, int status, String generalTerms, @Nullable String detail, Logger log) {
        String id = RequestIds.of(ctx);
        log.warn("request {}: {} {} answered {}: {}", id, ctx.method(), ctx.path(), status, detail);
        error(ctx, status, AnonymousFailures.sentence(generalTerms, id));
    }

    public static void storage(Context ctx, StorageException e, Logger log) {
        int status = AnonymousFailures.status(e);
        if (status == 404) {
            log.debug("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            error(ctx, 404, AnonymousFailures.generalTerms(e));
            return;
        }
        failure(ctx, status, AnonymousFailures.generalTerms(e), e.getMessage(), log);
    }
}
