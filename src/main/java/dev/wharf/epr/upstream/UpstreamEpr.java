package dev.wharf.epr.upstream;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.search.PackageSearch.CategoryCount;
import dev.wharf.http.TlsHandshakes;
import dev.wharf.oci.IoFailures;
import dev.wharf.oci.IdleBoundedBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.commons.io.input.BoundedInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of another Elastic Package Registry (EPR itself, or Wharf): its {@code /search},
 * {@code /categories} and package answers, and its zips and signatures streamed to files. Retries
 * as EPR's proxy does: on no connection, 429 and 5xx (but 501), and on a JSON answer that is not
 * JSON (an intercepting proxy's page). Its JSON is read strictly, as EPR's Go reads it ({@link UpstreamJson}).
 */
public final class UpstreamEpr {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamEpr.class);

    /**
     * The most JSON one answer may hold: many times Elastic's own {@code /search?all=true&prerelease=true}
     * (every version of every package, tens of megabytes).
     */
    static final long MAX_JSON_BYTES = 256L * 1024 * 1024;

    private final UpstreamSettings settings;
    private final HttpClient http;

    public UpstreamEpr(UpstreamSettings settings) {
        this(settings, Optional.empty());
    }

    /** @param trust the TLS context for an upstream whose certificate a private CA signed ({@code -proxy-ca-file}) */
    public UpstreamEpr(UpstreamSettings settings, Optional<SSLContext> trust) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // EPR's Go client follows redirects: a chain of registries (or a CDN) ends where the bytes are.
                .followRedirects(HttpClient.Redirect.NORMAL);
        trust.ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    public URI base() {
        return settings.base();
    }

    /** The upstream address of {@code path} ({@code /epr/…}, {@code /package/…}), decoded text ({@link UpstreamAddresses}). */
    public URI resolve(String path) {
        return UpstreamAddresses.resolve(settings.base(), path);
    }

    /** The upstream's {@code /search} for the same query, each entry as a package document. */
    public List<PackageDocument> search(@Nullable String rawQuery) {
        URI uri = withQuery("search", rawQuery);
        return readJson(uri, "/search", new TypeReference<List<PackageDocument>>() { });
    }

    public List<CategoryCount> categories(@Nullable String rawQuery) {
        URI uri = withQuery("categories", rawQuery);
        return readJson(uri, "/categories", new TypeReference<List<CategoryCount>>() { });
    }

    /** The package's {@code /package/{name}/{version}/} answer; empty when the upstream answers 404. */
    public Optional<PackageDocument> packageInfo(String name, String version) {
        URI uri = resolve("/package/" + name + "/" + version + "/");
        try {
            return Optional.of(readJson(uri, "package " + name + " " + version, new TypeReference<PackageDocument>() { }));
        } catch (UpstreamException e) {
            if (e.kind() == UpstreamException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Streams {@code path} into {@code target} (replaced), refusing more than {@code maxBytes}.
     * Returns the size, or empty when the upstream answers 404 (then {@code target} is not written).
     */
    public Optional<Long> download(String path, Path target, long maxBytes) {
        URI uri = resolve(path);
        HttpResponse<InputStream> response = send(uri, path, false);
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, "upstream " + uri + " answered " + response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw tooLarge(uri, declared, maxBytes);
            }
            long total = 0;
            try (OutputStream out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw tooLarge(uri, total, maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            return Optional.of(total);
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "upstream " + uri + " broke off the download: " + IoFailures.describe(e), e);
        }
    }

    private static UpstreamException tooLarge(URI uri, long size, long maxBytes) {
        return new UpstreamException(UpstreamException.Kind.REFUSED, uri + " is larger (" + size + " bytes and more) than the limit of "
                + maxBytes + " bytes (-max-package-size)");
    }

    private URI withQuery(String path, @Nullable String rawQuery) {
        return UpstreamAddresses.withQuery(resolve(path), rawQuery);
    }

    private <T> T readJson(URI uri, String what, TypeReference<T> type) {
        HttpResponse<InputStream> response = send(uri, what, true);
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                throw new UpstreamException(UpstreamException.Kind.NOT_FOUND, "upstream " + uri + " answered 404");
            }
            if (response.statusCode() != 200) {
                throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, "upstream " + uri + " answered " + response.statusCode());
            }
            // Bounded as every document read from a registry is: an answer that never ends must not fill the heap.
            // Cut one byte past the limit, it cannot parse; the count then says why.
            BoundedInputStream bounded = BoundedInputStream.builder().setInputStream(body).setMaxCount(MAX_JSON_BYTES + 1).get();
            com.fasterxml.jackson.core.JsonParser parser = UpstreamJson.MAPPER.createParser(bounded);
            try {
                return UpstreamJson.MAPPER.readValue(parser, type);
            } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
                // Said while the parser still stands on the value: once closed, it no longer tells what the value was.
                throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, "upstream " + uri + " answered "
                        + UpstreamJson.mismatch(e, parser.currentToken()) + ": EPR does not read such an answer either", e);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                if (bounded.getCount() > MAX_JSON_BYTES) {
                    throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, "upstream " + uri + " answered more than "
                            + MAX_JSON_BYTES + " bytes of JSON for " + what, e);
                }
                throw e;
            } finally {
                parser.close();
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, "upstream " + uri + " answered unreadable JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "upstream " + uri + " broke off its answer: " + IoFailures.describe(e), e);
        }
    }

    /** Sends with EPR's retry rules; the answer returned is one not to retry (its body still open). */
    private HttpResponse<InputStream> send(URI uri, String what, boolean json) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("User-Agent", "wharf-package-registry").GET().build();
        String last = "";
        int tries = settings.retries() + 1;
        for (int attempt = 0; attempt < tries; attempt++) {
            if (attempt > 0) {
                pause(attempt);
            }
            try {
                HttpResponse<InputStream> response = http.send(request, IdleBoundedBody.handler(settings.requestTimeout()));
                int status = response.statusCode();
                String type = response.headers().firstValue("Content-Type").orElse("");
                boolean retry = status == 429 || (status >= 500 && status != 501)
                        || (json && status / 100 == 2 && !type.startsWith("application/json"));
                if (!retry) {
                    return response;
                }
                response.body().close();
                last = status / 100 == 2 ? "answered " + status + " with " + (type.isEmpty() ? "no content type" : type) + " instead of JSON"
                        : "answered " + status;
            } catch (IOException e) {
                // Not retried, as EPR's client (go-retryablehttp) does not retry an untrusted certificate: no wait mends it.
                if (TlsHandshakes.certificateRefused(e)) {
                    throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "upstream " + settings.base() + " did not answer "
                            + what + ": " + TlsHandshakes.handshake(settings.base().getScheme() + "://" + settings.base().getAuthority(),
                            e, "-proxy-ca-file"), e);
                }
                last = IoFailures.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "interrupted while asking upstream " + uri);
            }
            LOG.debug("upstream {} for {}: {} (try {} of {})", uri, what, last, attempt + 1, tries);
        }
        throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "upstream " + settings.base() + " did not answer " + what
                + ": " + last + " (" + tries + (tries == 1 ? " try)" : " tries)"));
    }

    private void pause(int attempt) {
        long wait = Math.min(settings.retryWaitMax().toMillis(), settings.retryWaitMin().toMillis() << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "interrupted while waiting to retry " + settings.base());
        }
    }
}
