package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.wharf.epr.model.Categories;
import dev.wharf.epr.model.DataStream;
import dev.wharf.epr.model.Image;
import dev.wharf.epr.model.Input;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.PolicyTemplate;
import dev.wharf.epr.model.Stream;
import dev.wharf.epr.model.Versions;
import dev.wharf.oci.archive.ArchiveLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.semver4j.Semver;

/**
 * Reads a package the way EPR's {@code NewPackage} does: {@code manifest.yml} with its defaults,
 * policy template readmes, {@code docs/README.md}, assets, data streams from
 * {@code data_stream/*}{@code /manifest.yml} with their pipelines, and, unless validation is off, the
 * checks EPR's {@code Validate} makes — after the shared archive check, within the limits it is given.
 * Every indexer reads packages through this one class, so a
 * package looks the same whether it came from a folder, a zip or an OCI registry.
 */
public final class PackageReader {
    private static final Set<String> DATA_STREAM_TYPES = Set.of("logs", "metrics", "synthetics", "traces");
    private static final Set<String> RELEASES = Set.of("experimental", "beta", "ga");

    private final boolean validate;
    private final Consumer<String> warnings;
    private final ArchiveLimits limits;
    private final IngestionMethods ingestionMethods = IngestionMethods.elastic();

    public PackageReader(boolean validate, Consumer<String> warnings) {
        this(validate, warnings, ArchiveLimits.DEFAULT);
    }

    public PackageReader(boolean validate, Consumer<String> warnings, ArchiveLimits limits) {
        this.validate = validate;
        this.warnings = warnings;
        this.limits = limits;
    }

    /** Reads the package; {@code hasSignature} says whether a {@code .zip.sig} goes with it. */
    public PackageDocument read(PackageFiles files, boolean hasSignature) throws InvalidPackageException {
        checkSafety(files);
        if (!files.isFile("manifest.yml")) {
            throw new InvalidPackageException("no manifest.yml at the package root");
        }
        JsonNode tree = PackageYaml.read(files, "manifest.yml");
        if (!tree.isObject()) {
            throw new InvalidPackageException("manifest.yml is not a YAML mapping");
        }
        ObjectNode manifest = (ObjectNode) tree;
        for (String derived : List.of("download", "path", "assets", "readme", "signature_path", "data_streams")) {
            manifest.remove(derived);
        }
        PackageDocument p;
        try {
            p = Json.mapper().treeToValue(manifest, PackageDocument.class);
        } catch (JsonProcessingException e) {
            throw new InvalidPackageException("manifest.yml: " + e.getOriginalMessage());
        }
        if (p.name == null || p.name.isBlank()) {
            throw new InvalidPackageException("manifest.yml has no name");
        }
        Semver version = Versions.strict(p.version)
                .orElseThrow(() -> new InvalidPackageException("invalid package version: '" + p.version + "'"));
        String base = "/package/" + p.name + "/" + p.version;

        if (validate) {
            validateManifest(p, files);
        }
        if (p.policyTemplates != null) {
            for (PolicyTemplate t : p.policyTemplates) {
                if (t.multiple == null) {
                    t.multiple = true;
                }
                setPaths(t.icons, base);
                setPaths(t.screenshots, base);
                if (files.isFile("docs/" + t.name + ".md")) {
                    t.readme = base + "/docs/" + t.name + ".md";
                } else if (files.isDirectory("docs/" + t.name + ".md")) {
                    throw new InvalidPackageException(t.name + ".md is a directory");
                }
                if (t.deploymentModes != null && t.deploymentModes.agentless != null
                        && t.deploymentModes.agentless.release != null && !t.deploymentModes.agentless.release.isEmpty()
                        && !Set.of("beta", "ga").contains(t.deploymentModes.agentless.release)) {
                    throw new InvalidPackageException("policy template \"" + t.name + "\": invalid agentless release: \""
                            + t.deploymentModes.agentless.release + "\"");
                }
            }
        }
        if (p.type == null || p.type.isEmpty()) {
            p.type = "integration";
        }
        if (p.license == null || p.license.isEmpty()) {
            p.license = p.conditions != null && p.conditions.elastic != null && !p.conditions.elastic.subscription.isEmpty()
                    ? p.conditions.elastic.subscription : "basic";
        }
        if (p.conditions != null && p.conditions.kibana != null
                && Versions.range(p.conditions.kibana.version).isEmpty()) {
            throw new InvalidPackageException("invalid Kibana versions range " + p.conditions.kibana.version);
        }
        if (p.conditions != null && p.conditions.agent != null
                && Versions.range(p.conditions.agent.version).isEmpty()) {
            throw new InvalidPackageException("invalid Agent versions range " + p.conditions.agent.version);
        }
        if (!p.formatVersion.isEmpty() && Versions.strict(p.formatVersion).isEmpty()) {
            throw new InvalidPackageException("invalid format spec version '" + p.formatVersion + "'");
        }
        setPaths(p.icons, base);
        setPaths(p.screenshots, base);
        if (p.release == null || p.release.isEmpty()) {
            p.release = Versions.isPrerelease(version) || version.getMajor() < 1 ? "beta" : "ga";
        }
        if (!RELEASES.contains(p.release)) {
            throw new InvalidPackageException("invalid release: \"" + p.release + "\"");
        }
        if (!files.isFile("docs/README.md")) {
            throw new InvalidPackageException("no readme file found, README.md is required");
        }
        p.readme = base + "/docs/README.md";
        p.download = "/epr/" + p.name + "/" + p.name + "-" + p.version + ".zip";
        p.path = base;
        p.assets = assets(files, p.name, base);
        p.dataStreams = dataStreams(files, p);
        if (p.dataStreams.isEmpty()) {
            p.dataStreams = null;
        }
        p.signaturePath = hasSignature ? p.download + ".sig" : null;
        ingestionMethods.applyTo(p);
        if (p.discovery != null && p.discovery.isEmpty()) {
            p.discovery = null;
        }
        if (p.categories != null) {
            List<String> known = new ArrayList<>();
            for (String c : p.categories) {
                if (Categories.isKnown(c)) {
                    known.add(c);
                } else {
                    warnings.accept("package " + p.name + "-" + p.version + " uses an unknown category, ignored: " + c);
                }
            }
            p.categories = known;
        }
        return p;
    }

    private void checkSafety(PackageFiles files) throws InvalidPackageException {
        try {
            files.checkSafety(limits);
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read the package: " + e.getMessage(), e);
        }
    }

    private void validateManifest(PackageDocument p, PackageFiles files) throws InvalidPackageException {
        if (p.formatVersion == null || p.formatVersion.isEmpty()) {
            throw new InvalidPackageException("no format_version set");
        }
        if (Versions.strict(p.formatVersion).isEmpty()) {
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
                if (!files.isFile(strip(i.src))) {
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

    private static <T> List<T> nullToEmpty(@Nullable List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String nullToBlank(@Nullable String s) {
        return s == null ? "" : s;
    }

    private static String strip(String src) {
        return src.startsWith("/") ? src.substring(1) : src;
    }

    private static void setPaths(@Nullable List<Image> images, String base) {
        if (images != null) {
            for (Image i : images) {
                i.path = base + "/" + strip(i.src);
            }
        }
    }

    /** EPR lists assets level by level (all files at depth 1, then 2, …), each level in path order. */
    static final Comparator<String> ASSET_ORDER = (a, b) -> {
        String[] pa = a.split("/");
        String[] pb = b.split("/");
        if (pa.length != pb.length) {
            return Integer.compare(pa.length, pb.length);
        }
        for (int i = 0; i < pa.length; i++) {
            int c = pa[i].compareTo(pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private static List<String> assets(PackageFiles files, String name, String base) throws InvalidPackageException {
        for (String dir : files.directories()) {
            String last = dir.substring(dir.lastIndexOf('/') + 1);
            if (last.contains("-")) {
                throw new InvalidPackageException("directory name inside package " + name + " contains -: " + dir);
            }
        }
        return files.files().stream()
                .filter(f -> !f.contains(".DS_Store"))
                .sorted(ASSET_ORDER)
                .map(f -> base + "/" + f)
                .toList();
    }

    private List<DataStream> dataStreams(PackageFiles files, PackageDocument p) throws InvalidPackageException {
        List<String> dirs = files.files().stream()
                .filter(f -> f.startsWith("data_stream/") && f.endsWith("/manifest.yml") && f.split("/").length == 3)
                .map(f -> f.split("/")[1])
                .sorted()
                .toList();
        List<DataStream> result = new ArrayList<>();
        for (String dir : dirs) {
            result.add(dataStream(files, p, dir));
        }
        return result;
    }

    private DataStream dataStream(PackageFiles files, PackageDocument p, String dir) throws InvalidPackageException {
        String basePath = "data_stream/" + dir;
        JsonNode tree = PackageYaml.read(files, basePath + "/manifest.yml");
        if (!tree.isObject()) {
            throw new InvalidPackageException(basePath + "/manifest.yml is not a YAML mapping");
        }
        ObjectNode node = (ObjectNode) tree;
        node.remove(List.of("package", "path"));
        JsonNode es = node.get("elasticsearch");
        if (es instanceof ObjectNode esObject) {
            node.set("elasticsearch", flattenElasticsearch(esObject));
        }
        DataStream d;
        try {
            d = Json.mapper().treeToValue(node, DataStream.class);
        } catch (JsonProcessingException e) {
            throw new InvalidPackageException("error building data stream (path: " + dir + ") in package: " + p.name + ": "
                    + e.getOriginalMessage());
        }
        d.packageName = p.name;
        d.path = dir;
        if (d.dataset == null || d.dataset.isEmpty()) {
            d.dataset = p.name + "." + dir;
        }
        if (d.release == null || d.release.isEmpty()) {
            d.release = p.release;
        }
        if (d.streams != null) {
            for (Stream s : d.streams) {
                if (s.enabled == null) {
                    s.enabled = true;
                }
                if (s.templatePath == null || s.templatePath.isEmpty()) {
                    s.templatePath = "stream.yml.hbs";
                }
            }
        }
        if (!RELEASES.contains(d.release)) {
            throw new InvalidPackageException("invalid release: \"" + d.release + "\"");
        }
        String pipelineDir = basePath + "/elasticsearch/ingest_pipeline/";
        List<String> pipelines = files.files().stream()
                .filter(f -> f.startsWith(pipelineDir) && f.indexOf('/', pipelineDir.length()) < 0)
                .sorted().toList();
        boolean hasDefault = pipelines.contains(pipelineDir + "default.json") || pipelines.contains(pipelineDir + "default.yml");
        if (d.elasticsearch != null && (d.elasticsearch.ingestPipelineName == null || d.elasticsearch.ingestPipelineName.isEmpty())) {
            if (hasDefault) {
                d.elasticsearch.ingestPipelineName = "default";
                d.ingestPipeline = "default";
            }
        } else if ((d.ingestPipeline == null || d.ingestPipeline.isEmpty()) && hasDefault) {
            d.ingestPipeline = "default";
        }
        if ((d.ingestPipeline == null || d.ingestPipeline.isEmpty()) && !pipelines.isEmpty()) {
            throw new InvalidPackageException("unused pipelines in the package (dataset: " + d.dataset + "): "
                    + String.join(",", pipelines));
        }
        if (validate) {
            if (d.dataset.contains("-")) {
                throw new InvalidPackageException("data stream name is not allowed to contain `-`: " + d.dataset);
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
        return d;
    }

    private static ObjectNode flattenElasticsearch(ObjectNode es) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        JsonNode template = es.get("index_template");
        if (template != null && template.isObject()) {
            if (template.has("settings")) {
                out.set("index_template.settings", template.get("settings"));
            }
            if (template.has("mappings")) {
                out.set("index_template.mappings", template.get("mappings"));
            }
        }
        JsonNode pipeline = es.get("ingest_pipeline");
        if (pipeline != null && pipeline.has("name")) {
            out.set("ingest_pipeline.name", pipeline.get("name"));
        }
        if (es.has("privileges")) {
            out.set("privileges", es.get("privileges"));
        }
        return out;
    }
}
