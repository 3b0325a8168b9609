package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A data stream ({@code data_stream/<dir>/manifest.yml}) as the full package document shows it. */
@JsonPropertyOrder({"type", "dataset", "hidden", "ilm_policy", "dataset_is_prefix", "title", "release", "ingest_pipeline",
    "streams", "package", "elasticsearch", "agent", "path", "deprecated"})
public final class DataStream {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String type = "";
    public @Nullable String dataset;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean hidden;
    @JsonProperty("ilm_policy")
    public @Nullable String ilmPolicy;
    @JsonProperty("dataset_is_prefix")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean datasetIsPrefix;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String title = "";
    public @Nullable String release;
    @JsonProperty("ingest_pipeline")
    public @Nullable String ingestPipeline;
    public @Nullable List<Stream> streams;
    @JsonProperty("package")
    public @Nullable String packageName;
    public @Nullable Elasticsearch elasticsearch;
    public @Nullable JsonNode agent;
    public @Nullable String path;
    public @Nullable Deprecation deprecated;

    @JsonIgnore
    public Summary summary() {
        Summary s = new Summary();
        s.type = type;
        s.dataset = Objects.requireNonNullElse(dataset, "");
        s.title = title;
        s.deprecated = deprecated;
        return s;
    }

    /** Settings, mappings and the pipeline name, under the dotted keys EPR writes. */
    @JsonPropertyOrder({"index_template.settings", "index_template.mappings", "ingest_pipeline.name", "privileges"})
    public static final class Elasticsearch {
        @JsonProperty("index_template.settings")
        public @Nullable JsonNode indexTemplateSettings;
        @JsonProperty("index_template.mappings")
        public @Nullable JsonNode indexTemplateMappings;
        @JsonProperty("ingest_pipeline.name")
        public @Nullable String ingestPipelineName;
        public @Nullable JsonNode privileges;
    }

    @JsonPropertyOrder({"type", "dataset", "title", "deprecated"})
    public static final class Summary {
        public @Nullable String type;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String dataset = "";
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String title = "";
        public @Nullable Deprecation deprecated;
    }
}
