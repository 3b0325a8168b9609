package dev.wharf.epr.pkg;

import dev.wharf.epr.model.DataStream;
import dev.wharf.epr.model.Image;
import dev.wharf.epr.model.Input;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.PolicyTemplate;
import dev.wharf.epr.model.Stream;
import dev.wharf.epr.model.Versions;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The checks EPR's {@code Validate} makes, run only while validation is on. */
final class PackageValidation {
    private static final Set<String> DATA_STREAM_TYPES = Set.of("logs", "metrics", "synthetics", "traces");

    private PackageValidation() {
    }

    static void checkManifest(PackageDocument p, PackageFiles files) throws InvalidPackageException {
        if (p.formatVersion == null || p.formatVersion.isEmpty()) {
            throw new InvalidPackageException("no format_version set");
        }
        if (!Versions.isStrict(p.formatVersion)) {
            throw new InvalidPackageException("invalid format_version: " + p.formatVersion);
        }
        if (p.title == null || p.title.isEmpty()) {
            throw new InvalidPackageException("no title set for package: " + p.name);
        }
        if (p.description == null || p.description.isEmpty()) {
            throw new InvalidPackageException("no description set");
        }
        for (List<Image> images : List.of(nullToEmpty(p.icons), nullToEmpty(p.screenshots))) {
            for (Image i : images) {
                if (!files.isFile(ImagePaths.inPackage(i.src))) {
                    throw new InvalidPackageException("image " + i.src + " does not exist in the package");
                }
            }
        }
        if (p.policyTemplates != null) {
            for (PolicyTemplate t : p.policyTemplates) {
                for (Input in : nullToEmpty(t.inputs)) {
                    boolean hasType = in.type != null && !in.type.isEmpty();
                    boolean hasPackage = in.packageName != null && !in.packageName.isEmpty();
                    if (hasType == hasPackage) {
                        throw new InvalidPackageException("input " + nullToBlank(in.title) + " in policy template " + t.name
                                + " must have a type or package" + (hasType ? ", but not both" : ""));
                    }
                }
            }
        }
    }

    /** {@code d}, named {@code dataset}, as read from {@code basePath}, whose ingest pipelines are in {@code pipelineDir}. */
    static void checkDataStream(DataStream d, String dataset, PackageFiles files, String basePath, String pipelineDir)
            throws InvalidPackageException {
        if (dataset.contains("-")) {
            throw new InvalidPackageException("data stream name is not allowed to contain `-`: " + dataset);
        }
        if (!DATA_STREAM_TYPES.contains(d.type)) {
            throw new InvalidPackageException("validating data stream failed (path: " + basePath + "): type is not valid: " + d.type);
        }
        if (d.ingestPipeline != null && !d.ingestPipeline.isEmpty()
                && !files.isFile(pipelineDir + d.ingestPipeline + ".json") && !files.isFile(pipelineDir + d.ingestPipeline + ".yml")) {
            throw new InvalidPackageException("defined ingest_pipeline does not exist: " + pipelineDir + d.ingestPipeline);
        }
        for (Stream s : nullToEmpty(d.streams)) {
            boolean hasInput = s.input != null && !s.input.isEmpty();
            boolean hasPackage = s.packageName != null && !s.packageName.isEmpty();
            if (hasInput == hasPackage) {
                throw new InvalidPackageException("stream " + nullToBlank(s.title) + " must have a input or package"
                        + (hasInput ? ", but not both" : ""));
            }
        }
    }

    private static <T> List<T> nullToEmpty(@Nullable List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String nullToBlank(@Nullable String s) {
        return s == null ? "" : s;
    }
}
