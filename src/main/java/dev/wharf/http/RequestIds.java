package dev.wharf.http;

import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id that ties a failed answer to its log line: an anonymous client is told what failed in
 * general terms and this id (in the body and as {@code X-Request-Id}), the operator finds the
 * detail (registry, repository, user) in the log under it. Made only for answers that need one.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "wharf.request-id";

    private RequestIds() {
    }

    /** The id of {@code ctx}'s request, made on first use and set as its {@code X-Request-Id} header. */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            id = newId();
            ctx.attribute(ATTRIBUTE, id);
            ctx.header(HEADER, id);
        }
        return id;
    }

    /** 16 hex digits, random: ids say nothing about how many requests came before. */
    public static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
