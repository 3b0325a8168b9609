package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.model.DataStream;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.Stream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a package's data streams from {@code data_stream/*}{@code /manifest.yml} with their
 * defaults and ingest pipelines, as EPR does, and checks each one while validation is on.
 */
final class DataStreamReader {
    private final boolean validate;

    DataStreamReader(boolean validate) {
        this.validate = validate;
    }

    /** The data streams of package {@code p}, by folder name. */
    List<DataStream> read(PackageFiles files, PackageDocument p) throws InvalidPackageException {
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
            // Bound as YAML is: a single value where a list is expected is a list of one (categories: security), as go-ucfg reads it.
            d = Json.yaml().treeToValue(node, DataStream.class);
        } catch (JsonProcessingException e) {
            throw new InvalidPackageException("error building data stream (path: " + dir + ") in package: " + p.name + ": "
                    + e.getOriginalMessage());
        }
        d.packageName = p.name;
        d.path = dir;
        String dataset = d.dataset == null || d.dataset.isEmpty() ? p.name + "." + dir : d.dataset;
        d.dataset = dataset;
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
        Releases.requireKnown(d.release);
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
            PackageValidation.checkDataStream(d, dataset, files, basePath, pipelineDir);
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
