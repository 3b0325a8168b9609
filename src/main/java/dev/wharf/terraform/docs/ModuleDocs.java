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
        List<ProviderRequirement> providers, List<String> requiredCore, List<ModuleCall> moduleCalls, List<Note> notes) {
    public ModuleDocs {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        resources = List.copyOf(resources);
        providers = List.copyOf(providers);
        requiredCore = List.copyOf(requiredCore);
        moduleCalls = List.copyOf(moduleCalls);
        notes = List.copyOf(notes);
    }

    /** Each note as one line, "FILE: REASON" (the form the read API has always given). */
    public List<String> noteTexts() {
        return notes.stream().map(Note::text).toList();
    }

    /**
     * What could not be read, and which file it was about ({@code file} "" when about none): kept apart, since the
     * file's name is the publisher's and the reason the registry's, and a page shows the one isolated from the other.
     */
    public record Note(String file, String reason) {
        public static Note about(String file, String reason) {
            return new Note(file, reason);
        }

        public static Note general(String reason) {
            return new Note("", reason);
        }

        public String text() {
            return file.isEmpty() ? reason : file + ": " + reason;
        }
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
