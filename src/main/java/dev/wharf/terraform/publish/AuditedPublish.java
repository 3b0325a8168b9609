package dev.wharf.terraform.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.AnonymousFailures;
import dev.wharf.http.BodySpool;
import dev.wharf.http.access.Access;
import dev.wharf.http.access.Caller;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.PublishAudit.Outcome;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.layout.LayoutException;
import dev.wharf.terraform.upload.TagDeletedException;
import dev.wharf.terraform.upload.UploadException;
import dev.wharf.terraform.upload.VersionExistsException;
import dev.wharf.terraform.web.ErrorAnswers;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publish request of {@link PublishApi}, from the caller's check to the answer: the caller must
 * hold a scoped token that {@code allowed} accepts and a body within the limit; the {@link Work} then
 * runs in a scratch folder of its own, and every outcome, stored or refused, goes to the
 * {@link PublishAudit} and becomes the answer its failure calls for.
 */
final class AuditedPublish {
    // The publish API's logger, as before this class was split out of it: log settings keep naming it.
    private static final Logger LOG = LoggerFactory.getLogger(PublishApi.class);

    /** What one publish does once let in: stores, and answers the coordinates and digests. */
    @FunctionalInterface
    interface Work {
        Stored run(Path folder) throws IOException;
    }

    /** The 201 answer, and the digests for the audit line. */
    record Stored(Map<String, Object> answer, Map<String, String> digests) {
    }

    private final ClientAuthentication auth;
    private final PublishAudit audit;
    private final long maxBodyBytes;
    private final ObjectMapper json;

    AuditedPublish(ClientAuthentication auth, PublishAudit audit, long maxBodyBytes, ObjectMapper json) {
        this.auth = auth;
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    void run(Context ctx, String kind, String coordinates, Predicate<Caller> allowed, Work work) {
        String client = ctx.ip();
        if (!auth.scopedTokens()) {
            answer(ctx, new PublishAudit.Entry(kind, "-", client, coordinates, Map.of(), Outcome.FORBIDDEN, PublishCallers.NEEDS_SCOPES));
            return;
        }
        Access access = PublishCallers.identify(auth, ctx);
        Caller caller = access.caller();
        if (caller == null) {
            answer(ctx, new PublishAudit.Entry(kind, access.claimant(), client, coordinates, Map.of(), Outcome.UNAUTHENTICATED, access.refusal()));
            return;
        }
        if (!allowed.test(caller)) {
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.FORBIDDEN,
                    "the token '" + caller.name() + "' may not publish " + kind + " " + coordinates + " (its scopes: " + caller.scopes() + ")"));
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.TOO_LARGE,
                    "the body of " + declared + " bytes exceeds the limit of " + maxBodyBytes + " bytes (--publish-max-size)"));
            return;
        }
        String coded = BodySpool.codingRefusal(ctx.header("Content-Encoding"));
        if (coded != null) {
            ctx.header("Accept-Encoding", "identity");
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.INVALID, coded, 415));
            return;
        }
        try (ScratchFolder folder = ScratchFolder.create("wharf-publish-")) {
            Stored stored = work.run(folder.path());
            audit.record(new PublishAudit.Entry(kind, caller.name(), client, coordinates, stored.digests(), Outcome.CREATED, ""));
            ObjectNode body = json.valueToTree(stored.answer());
            ctx.status(201).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (TagDeletedException e) {
            // Not 409, which the upload client reads as "already exists" (and --ignore-existing skips): a failure to retry.
            audit.record(new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.FAILED,
                    String.valueOf(e.getMessage()), 503));
            LOG.warn("{} publish failed: {}", kind, e.getMessage());
            ErrorAnswers.error(ctx, 503, String.valueOf(e.getMessage()));
        } catch (VersionExistsException e) {
            PublishAudit.Entry entry = new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.EXISTS,
                    String.valueOf(e.getMessage()));
            if (e.lostRace()) {
                // Said in the answer: the client fails then even with --ignore-existing, as a local upload does.
                audit.record(entry);
                ctx.status(409).contentType("application/json").result(PublishConflict.lostRace(json, entry.reason()));
            } else {
                answer(ctx, entry);
            }
        } catch (UploadException | LayoutException e) {
            // A LayoutException: coordinates that pass the name rules but make a tag past the registry's 128 characters.
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.INVALID, String.valueOf(e.getMessage())));
        } catch (BodySpool.TooLargeException e) {
            answer(ctx, new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.TOO_LARGE,
                    e.getMessage() + " (--publish-max-size)"));
        } catch (StorageException e) {
            audit.record(new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.FAILED, e.getMessage(),
                    AnonymousFailures.status(e)));
            ErrorAnswers.storage(ctx, e, LOG);
        } catch (IOException | UncheckedIOException e) {
            // The client went away mid-body (a write of the server's own that fails is a StorageException): nothing was stored.
            audit.record(new PublishAudit.Entry(kind, caller.name(), client, coordinates, Map.of(), Outcome.FAILED, String.valueOf(e.getMessage())));
            ErrorAnswers.failure(ctx, 500, "the body could not be received", e.getMessage(), LOG);
        }
    }

    private void answer(Context ctx, PublishAudit.Entry entry) {
        audit.record(entry);
        ErrorAnswers.error(ctx, entry.status(), entry.reason());
    }
}
