package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A package as {@code /package/{name}/{version}/} shows it: the manifest's fields EPR publishes,
 * in EPR's order, plus what the indexer derives (paths, assets, data streams, readme). It is bound
 * from {@code manifest.yml} and then completed by {@code PackageReader}; it is also what the OCI
 * indexer persists, so it must read back exactly as written.
 */
@JsonPropertyOrder({"name", "title", "version", "release", "source", "description", "type", "download", "path", "icons",
    "policy_templates_behavior", "conditions", "owner", "categories", "signature_path", "discovery", "deprecated",
    "requires", "group", "format_version", "readme", "license", "screenshots", "assets", "policy_templates",
    "data_streams", "vars", "elasticsearch", "agent"})
public final class PackageDocument {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String name = "";
    public String title;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String version = "";
    public String release;
    public Source source;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String description = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String type = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String download = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String path = "";
    public List<Image> icons;
    @JsonProperty("policy_templates_behavior")
    public String policyTemplatesBehavior;
    public Conditions conditions;
    public Owner owner;
    public List<String> categories;
    @JsonProperty("signature_path")
    public String signaturePath;
    public Discovery discovery;
    public Deprecation deprecated;
    public Requirements requires;
    public String group;
    @JsonProperty("format_version")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String formatVersion = "";
    public String readme;
    public String license;
    public List<Image> screenshots;
    public List<String> assets;
    @JsonProperty("policy_templates")
    public List<PolicyTemplate> policyTemplates;
    @JsonProperty("data_streams")
    public List<DataStream> dataStreams;
    public List<Variable> vars;
    public JsonNode elasticsearch;
    public JsonNode agent;

    @JsonPropertyOrder({"license"})
    public static final class Source {
        public String license;
    }

    @JsonPropertyOrder({"type", "github"})
    public static final class Owner {
        public String type;
        public String github;
    }

    /** The entry {@code /search} lists for this package. */
    @JsonIgnore
    public SearchEntry searchEntry() {
        SearchEntry e = new SearchEntry();
        e.name = name;
        e.title = title;
        e.version = version;
        e.release = release;
        e.source = source;
        e.description = description;
        e.type = type;
        e.download = download;
        e.path = path;
        e.icons = icons;
        e.policyTemplatesBehavior = policyTemplatesBehavior;
        e.policyTemplates = policyTemplates == null ? null : policyTemplates.stream().map(PolicyTemplate::summary).toList();
        e.conditions = conditions;
        e.owner = owner;
        e.categories = categories;
        e.signaturePath = signaturePath;
        e.discovery = discovery;
        e.dataStreams = dataStreams == null ? null : dataStreams.stream().map(DataStream::summary).toList();
        e.deprecated = deprecated;
        e.requires = requires;
        e.group = group;
        return e;
    }

    /** EPR's {@code BasePackage}: what {@code /search} shows of a package. */
    @JsonPropertyOrder({"name", "title", "version", "release", "source", "description", "type", "download", "path",
        "icons", "policy_templates_behavior", "policy_templates", "conditions", "owner", "categories",
        "signature_path", "discovery", "data_streams", "deprecated", "requires", "group"})
    public static final class SearchEntry {
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String name;
        public String title;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String version;
        public String release;
        public Source source;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String description;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String type;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String download;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String path;
        public List<Image> icons;
        @JsonProperty("policy_templates_behavior")
        public String policyTemplatesBehavior;
        @JsonProperty("policy_templates")
        public List<PolicyTemplate.Summary> policyTemplates;
        public Conditions conditions;
        public Owner owner;
        public List<String> categories;
        @JsonProperty("signature_path")
        public String signaturePath;
        public Discovery discovery;
        @JsonProperty("data_streams")
        public List<DataStream.Summary> dataStreams;
        public Deprecation deprecated;
        public Requirements requires;
        public String group;
    }
}
