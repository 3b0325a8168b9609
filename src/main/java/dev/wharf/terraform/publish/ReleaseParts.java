package dev.wharf.terraform.publish;

import dev.wharf.http.BodySpool;
import dev.wharf.http.MultipartFailures;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.provider.Sha256Sums;
import dev.wharf.terraform.upload.UploadException;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The files of a provider release sent as {@code multipart/form-data}, each part written to a
 * folder of its own under its file name (the part's filename, else its field name), as
 * {@code upload provider} would find them on disk: the SHA256SUMS, its {@code .sig} and the zips.
 */
final class ReleaseParts {
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    record Release(Path sums, List<Path> archives) {
    }

    private ReleaseParts() {
    }

    /** Reads every part into {@code folder}; parts beyond {@code limit} bytes in all are refused. */
    static Release read(HttpServletRequest request, Path folder, long limit) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new UploadException("the body must be multipart/form-data with the SHA256SUMS, its .sig and the zips as files");
        }
        request.setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(folder.toString(), limit, limit, 64 * 1024));
        List<Part> parts;
        try {
            parts = new ArrayList<>(request.getParts());
        } catch (ServletException | IllegalStateException e) {
            MultipartFailures.forgetFailedParse(request);
            MultipartFailures.rethrowDiskFailure(e, folder, request, limit);
            if (MultipartFailures.overSizeLimit(e)) {
                throw new BodySpool.TooLargeException(limit);
            }
            throw new UploadException("the multipart body cannot be read: " + MultipartFailures.reason(e));
        }
        Path sums = null;
        List<Path> archives = new ArrayList<>();
        long total = 0;
        for (Part part : parts) {
            String name = part.getSubmittedFileName() != null ? part.getSubmittedFileName() : part.getName();
            if (name == null || !FILE_NAME.matcher(name).matches()) {
                throw new UploadException("part '" + name + "' is not named like a release file (letters, digits, '.', '_', '-')");
            }
            Path target = folder.resolve("release").resolve(name);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                throw new UploadException("the file " + name + " is sent twice");
            }
            total += BodySpool.keep(part, target);
            if (total > limit) {
                throw new BodySpool.TooLargeException(limit);
            }
            ProviderFile.Kind kind = ProviderFile.parse(name).map(ProviderFile::kind).orElse(ProviderFile.Kind.ARCHIVE);
            if (kind == ProviderFile.Kind.SHA256SUMS) {
                if (sums != null) {
                    throw new UploadException("two SHA256SUMS files are sent; a release has one");
                }
                sums = target;
            } else if (kind != ProviderFile.Kind.SIGNATURE) {
                archives.add(target);
            }
        }
        if (sums == null) {
            throw new UploadException("no terraform-provider-NAME_VERSION_SHA256SUMS part in the body");
        }
        return new Release(sums, archives);
    }

    /**
     * The signature and every file the SHA256SUMS lists are among the parts. The checks after this
     * one read a release on disk and would name what is missing as a file that "does not exist" or
     * that {@code --filenames-provider-archives} "does not give": the CLI's words, not a request's.
     */
    static void checkComplete(Release release) throws IOException {
        String sumsName = release.sums().getFileName().toString();
        if (!Files.isRegularFile(release.sums().resolveSibling(sumsName + ".sig"))) {
            throw new UploadException("no " + sumsName + ".sig part in the body: send the SHA256SUMS's detached signature with it");
        }
        Sha256Sums listed;
        try {
            listed = Sha256Sums.parse(Files.readAllBytes(release.sums()), sumsName);
        } catch (IllegalArgumentException e) {
            throw new UploadException(String.valueOf(e.getMessage()));
        }
        for (String file : listed.entries().keySet()) {
            if (!Files.isRegularFile(release.sums().resolveSibling(file))) {
                throw new UploadException("no " + file + " part in the body: " + sumsName + " lists it, and a release is published whole");
            }
        }
    }
}
