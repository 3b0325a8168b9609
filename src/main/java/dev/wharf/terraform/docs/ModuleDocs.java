package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * What one module directory of an archive declares, as terraform-config-inspect reads it: each
 * list sorted by name (resources by address), and a note per file that could not be read.
 *
 * @param path the directory inside the archive: "" for the root module, else {@code modules/<name>}
 */
public record ModuleDocs(String path, List<Input> inputs, List<Output> outputs, List<Resource> resources,
        List<ProviderRequirement> providers, List<String> requiredCore, List<ModuleCall> moduleCalls, List<String> notes) {
    public ModuleDocs {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        resources = List.copyOf(resources);
        providers = List.copyOf(providers);
        requiredCore = List.copyOf(requiredCore);
        moduleCalls = List.copyOf(moduleCalls);
        notes = List.copyOf(notes);
    }

    /** Declares nothing a caller could use: no inputs, outputs, resources or module calls. */
    public boolean empty() {
        return inputs.isEmpty() && outputs.isEmpty() && resources.isEmpty() && moduleCalls.isEmpty();
    }

    /** The directory's last element: the submodule's name, or "" for the root module. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * A variable. {@code type} is as written (or the old quoted keyword's text); the default is
     * JSON, JSON null when the variable has none or it needs evaluating.
     */
    public record Input(String name, Optional<String> type, JsonNode defaultValue, Optional<String> description, boolean required,
            boolean sensitive) {
    }

    public record Output(String name, Optional<String> description, boolean sensitive) {
    }

    /** A managed ({@code resource}) or data ({@code data}) resource and the local name of its provider. */
    public record Resource(Mode mode, String type, String name, String provider) {
        public enum Mode { MANAGED, DATA }

        /** Its address in the module: {@code type.name}, or {@code data.type.name}. */
        public String address() {
            return (mode == Mode.DATA ? "data." : "") + type + "." + name;
        }
    }

    /** A provider the module needs, by local name; declared in {@code required_providers}, a provider block, or implied by a resource. */
    public record ProviderRequirement(String name, Optional<String> source, List<String> versionConstraints, List<String> aliases) {
        public ProviderRequirement {
            versionConstraints = List.copyOf(versionConstraints);
            aliases = List.copyOf(aliases);
        }
    }

    public record ModuleCall(String name, String source, Optional<String> version) {
    }
}
