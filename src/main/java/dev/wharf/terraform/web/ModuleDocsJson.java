package dev.wharf.terraform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.terraform.docs.ArchiveDocs;
import dev.wharf.terraform.docs.ModuleDocs;
import java.util.List;

/**
 * A module version's documentation in registry.terraform.io's shapes: {@code root} and each of
 * {@code submodules} with {@code path}, {@code name}, {@code empty}, {@code inputs} (the default as
 * JSON text, "" when the input is required), {@code outputs}, {@code dependencies} (module calls),
 * {@code provider_dependencies} and {@code resources} (managed ones). Beside them, what the public
 * registry does not give but Wharf reads anyway: each input's and output's {@code sensitive},
 * {@code data_resources}, {@code required_core}, and {@code notes} on files that could not be read ("FILE: REASON"),
 * also as {@code note_details} ({@code file}, "" for a note about none, and {@code reason}).
 */
final class ModuleDocsJson {
    /** Where Terraform looks for a provider whose source is not given. */
    private static final String DEFAULT_NAMESPACE = "hashicorp";

    private final ObjectMapper json;

    ModuleDocsJson(ObjectMapper json) {
        this.json = json;
    }

    void write(ArchiveDocs docs, ObjectNode into) {
        into.set("root", module(docs.root()));
        ArrayNode submodules = into.putArray("submodules");
        docs.submodules().forEach(m -> submodules.add(module(m)));
    }

    /** The answer when the archive could not be read: an empty root that says why. */
    void unreadable(String why, ObjectNode into) {
        into.set("root", module(new ModuleDocs("", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(ModuleDocs.Note.general(why)))));
        into.putArray("submodules");
    }

    private ObjectNode module(ModuleDocs m) {
        ObjectNode node = json.createObjectNode();
        node.put("path", m.path());
        node.put("name", m.name());
        node.put("empty", m.empty());
        ArrayNode inputs = node.putArray("inputs");
        for (ModuleDocs.Input input : m.inputs()) {
            inputs.addObject().put("name", input.name()).put("type", input.type().orElse("")).put("description", input.description().orElse(""))
                    .put("default", input.required() ? "" : input.defaultValue().toString()).put("required", input.required())
                    .put("sensitive", input.sensitive());
        }
        ArrayNode outputs = node.putArray("outputs");
        for (ModuleDocs.Output output : m.outputs()) {
            outputs.addObject().put("name", output.name()).put("description", output.description().orElse("")).put("sensitive", output.sensitive());
        }
        ArrayNode dependencies = node.putArray("dependencies");
        for (ModuleDocs.ModuleCall call : m.moduleCalls()) {
            dependencies.addObject().put("name", call.name()).put("source", call.source()).put("version", call.version().orElse(""));
        }
        ArrayNode providers = node.putArray("provider_dependencies");
        for (ModuleDocs.ProviderRequirement provider : m.providers()) {
            String source = provider.source().orElse(DEFAULT_NAMESPACE + "/" + provider.name());
            String[] parts = source.split("/");
            providers.addObject().put("name", provider.name()).put("namespace", parts.length >= 2 ? parts[parts.length - 2] : DEFAULT_NAMESPACE)
                    .put("source", source).put("version", String.join(", ", provider.versionConstraints()));
        }
        ArrayNode resources = node.putArray("resources");
        ArrayNode data = node.putArray("data_resources");
        for (ModuleDocs.Resource resource : m.resources()) {
            (resource.mode() == ModuleDocs.Resource.Mode.DATA ? data : resources).addObject().put("name", resource.name()).put("type", resource.type());
        }
        ArrayNode core = node.putArray("required_core");
        m.requiredCore().forEach(core::add);
        ArrayNode notes = node.putArray("notes");
        m.noteTexts().forEach(notes::add);
        // The same notes with the file apart from the reason, so a client shows the publisher's file name isolated.
        ArrayNode details = node.putArray("note_details");
        m.notes().forEach(n -> details.addObject().put("file", n.file()).put("reason", n.reason()));
        return node;
    }
}
