package dev.wharf.epr.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.http.AnonymousFailures;
import dev.wharf.http.BodySpool;
import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.MultipartFailures;
import dev.wharf.http.RequestIds;
import dev.wharf.http.access.Access;
import dev.wharf.http.access.Caller;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.PublishAudit.Outcome;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.StorageException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /api/v1/packages}: a package zip as the body, or {@code multipart/form-data} with the
 * zip and its {@code .sig}, published by the {@link PackagePublisher} {@code push} runs, once the
 * token's {@code publish:GLOB} scope covers the package's name. With {@code ?refresh=true} the
 * index is read again before the answer, so the package is served at once. A server that serves
 * only signed packages refuses one sent without its {@code .sig}.
 */
public final class PackageUploadApi {
    private static final Logger LOG = LoggerFactory.getLogger(PackageUploadApi.class);
    public static final String PATH = "/api/v1/packages";
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A publish that failed reading: the client's body, or the server's own copy of it. */
    private static final String BROKEN_OFF = "its body broke off, or the server could not read it back";

    private final TokensFile tokens;
    private final PackagePublisher publisher;
    private final Runnable refresh;
    private final PublishAudit audit;
    private final long maxBytes;

    public PackageUploadApi(TokensFile tokens, PackagePublisher publisher, Runnable refresh, PublishAudit audit, long maxBytes) {
        this.tokens = tokens;
        this.publisher = publisher;
        this.refresh = refresh;
        this.audit = audit;
        this.maxBytes = maxBytes;
    }

    public void register(JavalinConfig cfg) {
        cfg.routes.put(PATH, this::upload);
    }

    private void upload(Context ctx) {
        String client = ctx.ip();
        Optional<String> token = Access.bearer(ctx.header("Authorization"));
        if (token.isEmpty()) {
            refuse(ctx, "-", client, "-", Outcome.UNAUTHENTICATED, "authentication required: send 'Authorization: Bearer <token>'");
            return;
        }
        TokensFile.Check check = tokens.identify(token.get());
        if (check instanceof TokensFile.Expired expired) {
            refuse(ctx, expired.name(), client, "-", Outcome.UNAUTHENTICATED, "the token '" + expired.name() + "' expired at " + expired.at());
            return;
        }
        if (check instanceof TokensFile.Refused refused) {
            if (refused.unchecked()) {
                ctx.attribute(CredentialThrottle.UNCHECKED_ATTRIBUTE, true);
            }
            refuse(ctx, Access.claimant(refused), client, "-", Outcome.UNAUTHENTICATED, "invalid token: " + refused.why());
            return;
        }
        if (!(check instanceof TokensFile.Valid valid)) {
            refuse(ctx, "-", client, "-", Outcome.UNAUTHENTICATED, "invalid token");
            return;
        }
        Caller caller = valid.caller();
        if (caller.scopes().stream().noneMatch(s -> s.kind() != dev.wharf.http.access.Scope.Kind.READ)) {
            refuse(ctx, caller.name(), client, "-", Outcome.FORBIDDEN, "the token '" + caller.name() + "' may not publish");
            return;
        }
        if (ctx.req().getContentLengthLong() > maxBytes) {
            refuse(ctx, caller.name(), client, "-", Outcome.TOO_LARGE, "the body exceeds the limit of " + maxBytes + " bytes (-max-package-size)");
            return;
        }
        String coded = BodySpool.codingRefusal(ctx.header("Content-Encoding"));
        if (coded != null) {
            audit.record(new PublishAudit.Entry("package", caller.name(), client, "-", Map.of(), Outcome.INVALID, coded, 415));
            ctx.header("Accept-Encoding", "identity");
            error(ctx, 415, coded);
            return;
        }
        ScratchFolder scratch = null;
        Path folder = null;
        try {
            scratch = ScratchFolder.create("wharf-package-");
            folder = scratch.path();
            Received received = receive(ctx, folder);
            received.checkIsAZip();
            Path zip = received.zip();
            PackagePublisher.Published done = publisher.push(zip, w -> LOG.warn("published package: {}", w), caller::mayPublish);
            if ("true".equalsIgnoreCase(ctx.queryParam("refresh"))) {
                try {
                    refresh.run();
                } catch (RuntimeException e) {
                    // The package is stored and the next scheduled refresh finds it. Answering this
                    // publish as failed would make its retry a 409 for a package that is in fact there.
                    LOG.warn("package {} is stored, but refreshing the index after it failed", done.tag(), e);
                }
            }
            String zipDigest = done.manifest().layers().isEmpty() ? "" : done.manifest().layers().get(0).digest().toString();
            audit.record(new PublishAudit.Entry("package", caller.name(), client, done.tag(), Map.of("zip", zipDigest), Outcome.CREATED, ""));
            ObjectNode body = JSON.createObjectNode().put("tag", done.tag()).put("signed", done.signed())
                    .put("digest", zipDigest).put("manifest_digest", done.manifest().digest().toString());
            ctx.status(201).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (PackagePublisher.NotAllowedException e) {
            refuse(ctx, caller.name(), client, e.name(), Outcome.FORBIDDEN, "the token '" + caller.name() + "' may not publish package "
                    + e.name() + " (its scopes: " + caller.scopes() + ")");
        } catch (PackagePublisher.ExistsException e) {
            // Not where storage is (a registry's host and repository): security.md keeps that from clients.
            refuse(ctx, caller.name(), client, "-", Outcome.EXISTS, e.forClients());
        } catch (PackagePublisher.TagChangedException e) {
            // Not 409, which clients (PackagePushClient among them) read as "already published": a failure to retry.
            audit.record(new PublishAudit.Entry("package", caller.name(), client, "-", Map.of(), Outcome.FAILED, e.getMessage(), 503));
            LOG.warn("package publish failed: {}", e.getMessage());
            error(ctx, 503, e.forClients());
        } catch (PackagePublisher.SignatureRequiredException e) {
            // Said before anything is stored: a 201 had been answered for a package the index then left out, its version taken.
            refuse(ctx, caller.name(), client, "-", Outcome.INVALID, e.tag() + ".zip has no signature: this server serves only signed"
                    + " packages (-require-package-signatures), so nothing was published; send the zip with its .sig as"
                    + " multipart/form-data (package-registry push -server sends NAME.zip.sig when it lies beside NAME.zip)");
        } catch (InvalidPackageException e) {
            refuse(ctx, caller.name(), client, "-", Outcome.INVALID, folder == null ? e.getMessage()
                    : e.getMessage().replace(folder.toAbsolutePath() + "/", ""));
        } catch (BodySpool.TooLargeException e) {
            refuse(ctx, caller.name(), client, "-", Outcome.TOO_LARGE, e.getMessage() + " (-max-package-size)");
        } catch (StorageException e) {
            // With a request id, as every other failure of storage: the log line that says why is found by it.
            int status = AnonymousFailures.status(e);
            String id = RequestIds.of(ctx);
            audit.record(new PublishAudit.Entry("package", caller.name(), client, "-", Map.of(), Outcome.FAILED, e.getMessage(), status));
            LOG.warn("request {}: package publish failed: {}", id, e.getMessage());
            error(ctx, status, "the package could not be stored: " + AnonymousFailures.sentence(AnonymousFailures.generalTerms(e), id));
        } catch (IOException | UncheckedIOException e) {
            // The body broke off, or a file the publish reads back failed: nothing was stored. With a request id, as a
            // failure of storage has, so that the line saying which is found by it.
            String id = RequestIds.of(ctx);
            audit.record(new PublishAudit.Entry("package", caller.name(), client, "-", Map.of(), Outcome.FAILED, String.valueOf(e.getMessage()), 502));
            LOG.warn("request {}: package publish failed: {}", id, e.getMessage());
            error(ctx, 502, "the package could not be stored: " + AnonymousFailures.sentence(BROKEN_OFF, id));
        } catch (RuntimeException e) {
            // A fault of Wharf's own: audited like any failed publish, logged with its trace.
            audit.record(new PublishAudit.Entry("package", caller.name(), client, "-", Map.of(), Outcome.FAILED, e.toString()));
            LOG.error("package publish failed unexpectedly", e);
            error(ctx, 500, "the package publish failed; the server log says why");
        } finally {
            if (scratch != null) {
                scratch.close();
            }
        }
    }

    /** The zip received, and what it came as, to name in a refusal: the body, or which part of a form. */
    private record Received(Path zip, String source) {
        /**
         * Empty or not a zip is said of what was sent; the reader further on would say only "not a
         * zip file: zip END header not found", without naming which part of a form it read.
         */
        void checkIsAZip() throws IOException, InvalidPackageException {
            byte[] head;
            try (InputStream in = Files.newInputStream(zip)) {
                head = in.readNBytes(2);
            }
            if (head.length == 0) {
                throw new InvalidPackageException(source + " is empty: send the package zip");
            }
            if (head.length < 2 || head[0] != 'P' || head[1] != 'K') {
                throw new InvalidPackageException(source + " is not a zip file: send the package zip");
            }
        }
    }

    /** The zip (and a .sig beside it, as push finds one) in {@code folder}. */
    private Received receive(Context ctx, Path folder) throws IOException, InvalidPackageException {
        Path zip = folder.resolve("package.zip");
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            try (InputStream in = ctx.req().getInputStream()) {
                BodySpool.spool(in, zip, maxBytes);
            }
            return new Received(zip, "the body");
        }
        ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(folder.toString(), maxBytes, maxBytes, 64 * 1024));
        String zipPart = null;
        try {
            for (Part part : ctx.req().getParts()) {
                String name = part.getSubmittedFileName() != null ? part.getSubmittedFileName() : part.getName();
                Path target = name != null && name.endsWith(".sig") ? folder.resolve("package.zip.sig") : zip;
                if (Files.exists(target)) {
                    throw new InvalidPackageException("send one zip and at most one .sig");
                }
                if (BodySpool.keep(part, target) > maxBytes) {
                    throw new BodySpool.TooLargeException(maxBytes);
                }
                if (target == zip) {
                    zipPart = "the part '" + part.getName() + "'" + (part.getSubmittedFileName() == null ? "" : " (" + part.getSubmittedFileName() + ")");
                }
            }
        } catch (ServletException | IllegalStateException e) {
            MultipartFailures.forgetFailedParse(ctx.req());
            MultipartFailures.rethrowDiskFailure(e, folder, ctx.req(), maxBytes);
            if (MultipartFailures.overSizeLimit(e)) {
                throw new BodySpool.TooLargeException(maxBytes);
            }
            throw new InvalidPackageException("the multipart body cannot be read: " + MultipartFailures.reason(e));
        }
        if (zipPart == null) {
            throw new InvalidPackageException("the multipart body holds no package zip");
        }
        return new Received(zip, zipPart);
    }

    private void refuse(Context ctx, String caller, String client, String coordinates, Outcome outcome, String reason) {
        audit.record(new PublishAudit.Entry("package", caller, client, coordinates, Map.of(), outcome, reason));
        if (outcome == Outcome.UNAUTHENTICATED) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        error(ctx, outcome.status(), reason);
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result("{\"status\":" + status + ",\"message\":"
                + JSON.valueToTree(message) + "}");
    }
}
