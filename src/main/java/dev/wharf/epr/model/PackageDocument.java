package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
    public @Nullable String title;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String version = "";
    public @Nullable String release;
    public @Nullable Source source;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String description = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String type = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String download = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String path = "";
    public @Nullable List<Image> icons;
    @JsonProperty("policy_templates_behavior")
    public @Nullable String policyTemplatesBehavior;
    public @Nullable Conditions conditions;
    public @Nullable Owner owner;
    public @Nullable List<String> categories;
    @JsonProperty("signature_path")
    public @Nullable String signaturePath;
    public @Nullable Discovery discovery;
    public @Nullable Deprecation deprecated;
    public @Nullable Requirements requires;
    public @Nullable String group;
    @JsonProperty("format_version")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String formatVersion = "";
    public @Nullable String readme;
    public @Nullable String license;
    public @Nullable List<Image> screenshots;
    public @Nullable List<String> assets;
    @JsonProperty("policy_templates")
    public @Nullable List<PolicyTemplate> policyTemplates;
    @JsonProperty("data_streams")
    public @Nullable List<DataStream> dataStreams;
    public @Nullable List<Variable> vars;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public @Nullable PackageElasticsearch elasticsearch;
    public @Nullable JsonNode agent;

    /**
     * Only what EPR's {@code PackageAgent} holds, {@code privileges.root} when true: EPR reads the section
     * into that struct, so any other key of it never reaches an answer.
     */
    @JsonSetter("agent")
    void setAgent(@Nullable JsonNode value) {
        if (value == null || !value.isObject()) {
            agent = null;
            return;
        }
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        JsonNode privileges = value.path("privileges");
        if (privileges.isObject()) {
            ObjectNode keptPrivileges = kept.putObject("privileges");
            if (privileges.path("root").asBoolean(false)) {
                keptPrivileges.put("root", true);
            }
        }
        agent = kept;
    }

    @JsonPropertyOrder({"license"})
    public static final class Source {
        public @Nullable String license;
    }

    @JsonPropertyOrder({"type", "github"})
    public static final class Owner {
        public @Nullable String type;
        public @Nullable String github;
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
        public @Nullable String name;
        public @Nullable String title;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public @Nullable String version;
        public @Nullable String release;
        public @Nullable Source source;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public @Nullable String description;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public @Nullable String type;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public @Nullable String download;
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public @Nullable String path;
        public @Nullable List<Image> icons;
        @JsonProperty("policy_templates_behavior")
        public @Nullable String policyTemplatesBehavior;
        @JsonProperty("policy_templates")
        public @Nullable List<PolicyTemplate.Summary> policyTemplates;
        public @Nullable Conditions conditions;
        public @Nullable Owner owner;
        public @Nullable List<String> categories;
        @JsonProperty("signature_path")
        public @Nullable String signaturePath;
        public @Nullable Discovery discovery;
        @JsonProperty("data_streams")
        public @Nullable List<DataStream.Summary> dataStreams;
        public @Nullable Deprecation deprecated;
        public @Nullable Requirements requires;
        public @Nullable String group;
    }
}
