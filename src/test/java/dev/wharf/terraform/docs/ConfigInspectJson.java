package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/**
 * A module's documentation in terraform-config-inspect's {@code --json} shape, and that tool's
 * output reduced to what Wharf reads: not source positions, the load directory, provider
 * configurations, the alias a resource's provider reference names, nor the diagnostics (Wharf
 * notes only files it cannot read at all).
 */
final class ConfigInspectJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigInspectJson() {
    }

    static ObjectNode of(ModuleDocs docs) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode variables = out.putObject("variables");
        for (ModuleDocs.Input input : docs.inputs()) {
            ObjectNode v = variables.putObject(input.name());
            v.put("name", input.name());
            input.type().ifPresent(t -> v.put("type", t));
            input.description().ifPresent(d -> v.put("description", d));
            v.set("default", input.defaultValue());
            v.put("required", input.required());
            if (input.sensitive()) {
                v.put("sensitive", true);
            }
        }
        ObjectNode outputs = out.putObject("outputs");
        for (ModuleDocs.Output output : docs.outputs()) {
            ObjectNode o = outputs.putObject(output.name());
            o.put("name", output.name());
            output.description().ifPresent(d -> o.put("description", d));
            if (output.sensitive()) {
                o.put("sensitive", true);
            }
        }
        if (!docs.requiredCore().isEmpty()) {
            ArrayNode core = out.putArray("required_core");
            docs.requiredCore().forEach(core::add);
        }
        ObjectNode providers = out.putObject("required_providers");
        for (ModuleDocs.ProviderRequirement p : docs.providers()) {
            ObjectNode r = providers.putObject(p.name());
            p.source().ifPresent(s -> r.put("source", s));
            if (!p.versionConstraints().isEmpty()) {
                ArrayNode versions = r.putArray("version_constraints");
                p.versionConstraints().forEach(versions::add);
            }
            if (!p.aliases().isEmpty()) {
                ArrayNode aliases = r.putArray("aliases");
                p.aliases().forEach(a -> aliases.addObject().put("name", p.name()).put("alias", a));
            }
        }
        ObjectNode managed = out.putObject("managed_resources");
        ObjectNode data = out.putObject("data_resources");
        for (ModuleDocs.Resource resource : docs.resources()) {
            ObjectNode r = (resource.mode() == ModuleDocs.Resource.Mode.DATA ? data : managed).putObject(resource.address());
            r.put("mode", resource.mode() == ModuleDocs.Resource.Mode.DATA ? "data" : "managed");
            r.put("type", resource.type());
            r.put("name", resource.name());
            r.putObject("provider").put("name", resource.provider());
        }
        ObjectNode calls = out.putObject("module_calls");
        for (ModuleDocs.ModuleCall call : docs.moduleCalls()) {
            ObjectNode c = calls.putObject(call.name());
            c.put("name", call.name());
            c.put("source", call.source());
            call.version().ifPresent(v -> c.put("version", v));
        }
        return out;
    }

    static JsonNode reduced(JsonNode inspected) {
        ObjectNode copy = inspected.deepCopy();
        copy.remove("path");
        copy.remove("provider_configs");
        copy.remove("diagnostics");
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("pos");
            if (object.has("mode") && object.get("provider") instanceof ObjectNode provider) {
                provider.remove("alias");
            }
            for (Iterator<JsonNode> i = object.elements(); i.hasNext(); ) {
                strip(i.next());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ConfigInspectJson::strip);
        }
    }
}
