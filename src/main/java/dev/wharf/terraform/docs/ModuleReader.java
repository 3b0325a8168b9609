package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.wharf.oci.PrintableText;
import dev.wharf.terraform.docs.HclBody.Attribute;
import dev.wharf.terraform.docs.HclBody.Block;
import dev.wharf.terraform.docs.HclToken.Kind;
import dev.wharf.terraform.docs.ModuleDocs.Resource.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One module directory's documentation from its configuration files, by terraform-config-inspect's
 * rules: files in name order, {@code override.tf} and {@code *_override.tf} last, a later
 * declaration of the same name replacing the earlier; a module call that an override gives no
 * source keeps the earlier one's; required providers merged by local name; every resource's
 * provider (its {@code provider} argument, else its type's prefix) required too. A file that does
 * not parse is left out with a note saying why, and the rest still count.
 */
public final class ModuleReader {
    private final String path;
    private final Map<String, ModuleDocs.Input> inputs = new TreeMap<>();
    private final Map<String, ModuleDocs.Output> outputs = new TreeMap<>();
    private final Map<String, ModuleDocs.Resource> resources = new TreeMap<>();
    private final Map<String, ModuleDocs.ModuleCall> calls = new TreeMap<>();
    private final RequiredProviders providers = new RequiredProviders();
    private final List<String> requiredCore = new ArrayList<>();
    /** Notes shown: a module of a million bad blocks has a million notes, which no page needs. */
    private static final int MAX_NOTES = 100;
    private final List<ModuleDocs.Note> notes = new ArrayList<>();
    private int notesLeftOut;

    public ModuleReader(String path) {
        this.path = path;
    }

    /** The module as read from these files: {@code files} maps a file name (no directory) to its text. */
    public static ModuleDocs read(String path, Map<String, String> files) {
        ModuleReader reader = new ModuleReader(path);
        List<String> primary = new ArrayList<>();
        List<String> overrides = new ArrayList<>();
        for (String name : new TreeMap<>(files).keySet()) {
            String base = name.substring(0, name.length() - ".tf".length());
            (base.equals("override") || base.endsWith("_override") ? overrides : primary).add(name);
        }
        primary.addAll(overrides);
        for (String name : primary) {
            reader.file(name, files.getOrDefault(name, ""));
        }
        return reader.result();
    }

    private void note(ModuleDocs.Note note) {
        if (notes.size() < MAX_NOTES) {
            notes.add(note);
        } else {
            notesLeftOut++;
        }
    }

    private List<ModuleDocs.Note> notesKept() {
        if (notesLeftOut == 0) {
            return notes;
        }
        List<ModuleDocs.Note> kept = new ArrayList<>(notes);
        kept.add(ModuleDocs.Note.general("and " + notesLeftOut + " more notes like these"));
        return kept;
    }

    /** Whether terraform reads {@code name} (no directory) as a native-syntax configuration file. */
    public static boolean configFile(String name) {
        return name.endsWith(".tf") && !name.startsWith(".") && !name.endsWith("~") && !(name.startsWith("#") && name.endsWith("#"));
    }

    private void file(String name, String text) {
        HclBody body;
        try {
            body = HclParser.parse(text);
        } catch (HclSyntaxException e) {
            note(ModuleDocs.Note.about(name, "not read, " + e.getMessage()));
            return;
        }
        for (Block block : body.blocks()) {
            switch (block.type()) {
                case "terraform" -> terraform(block);
                case "variable" -> labelled(name, block, 1).flatMap(b -> identified(name, b, "variable")).ifPresent(this::variable);
                case "output" -> labelled(name, block, 1).flatMap(b -> identified(name, b, "output")).ifPresent(this::output);
                case "provider" -> labelled(name, block, 1).ifPresent(this::provider);
                case "resource" -> labelled(name, block, 2).ifPresent(b -> resource(b, Mode.MANAGED));
                case "data" -> labelled(name, block, 2).ifPresent(b -> resource(b, Mode.DATA));
                case "module" -> labelled(name, block, 1).flatMap(b -> identified(name, b, "module")).ifPresent(this::moduleCall);
                default -> {
                    // locals, moved, import, check and the like document nothing a caller uses
                }
            }
        }
    }

    private Optional<Block> labelled(String file, Block block, int labels) {
        if (block.labels().size() != labels) {
            note(ModuleDocs.Note.about(file, "line " + block.line() + ": a " + block.type() + " block needs " + labels + " label"
                    + (labels == 1 ? "" : "s") + ", it has " + block.labels().size() + "; left out"));
            return Optional.empty();
        }
        return Optional.of(block);
    }

    /**
     * Terraform refuses a variable, output or module call whose name is no HCL identifier ("Invalid variable
     * name"), so none is documented as the module's: a quoted label may hold a NUL byte or a space.
     */
    private Optional<Block> identified(String file, Block block, String what) {
        String label = block.labels().get(0);
        if (HclIdentifier.valid(label)) {
            return Optional.of(block);
        }
        note(ModuleDocs.Note.about(file, "line " + block.line() + ": the " + what + " '" + PrintableText.oneLine(label, 100)
                + "' is left out, as terraform refuses it: a name must start with a letter or underscore and may contain only"
                + " letters, digits, underscores, and dashes"));
        return Optional.empty();
    }

    private void terraform(Block block) {
        block.body().attribute("required_version").flatMap(a -> StaticValues.string(a.expression())).ifPresent(requiredCore::add);
        for (Block inner : block.body().blocks()) {
            if (inner.type().equals("required_providers")) {
                providers.declare(inner.body());
            }
        }
    }

    private void variable(Block block) {
        HclBody body = block.body();
        Optional<String> type = body.attribute("type").map(a -> StaticValues.string(a.expression()).orElse(a.source()));
        Optional<Attribute> given = body.attribute("default");
        JsonNode value = given.flatMap(a -> StaticValues.of(a.expression())).orElse(NullNode.instance);
        String name = block.labels().get(0);
        inputs.put(name, new ModuleDocs.Input(name, type, value, text(body, "description"), given.isEmpty(), flag(body, "sensitive")));
    }

    private void output(Block block) {
        String name = block.labels().get(0);
        outputs.put(name, new ModuleDocs.Output(name, text(block.body(), "description"), flag(block.body(), "sensitive")));
    }

    private void provider(Block block) {
        providers.configured(block.labels().get(0), block.body().attribute("version").flatMap(a -> StaticValues.string(a.expression())));
    }

    private void resource(Block block, Mode mode) {
        String type = block.labels().get(0);
        String provider = block.body().attribute("provider").flatMap(ModuleReader::providerName)
                .orElse(type.contains("_") ? type.substring(0, type.indexOf('_')) : type);
        ModuleDocs.Resource resource = new ModuleDocs.Resource(mode, type, block.labels().get(1), provider);
        resources.put(resource.address(), resource);
    }

    /** The local name a {@code provider} argument refers to: {@code aws.west} or the older {@code "aws.west"}. */
    private static Optional<String> providerName(Attribute attribute) {
        List<HclToken> expression = attribute.expression();
        if (expression.get(0).kind() == Kind.IDENT) {
            return Optional.of(expression.get(0).text());
        }
        return StaticValues.string(expression).map(s -> s.contains(".") ? s.substring(0, s.indexOf('.')) : s).filter(s -> !s.isEmpty());
    }

    private void moduleCall(Block block) {
        String name = block.labels().get(0);
        ModuleDocs.ModuleCall earlier = calls.get(name);
        String source = text(block.body(), "source").filter(s -> !s.isEmpty())
                .orElse(earlier == null ? "" : earlier.source());
        calls.put(name, new ModuleDocs.ModuleCall(name, source, text(block.body(), "version").filter(v -> !v.isEmpty())));
    }

    private static Optional<String> text(HclBody body, String attribute) {
        return body.attribute(attribute).flatMap(a -> StaticValues.string(a.expression())).filter(s -> !s.isEmpty());
    }

    private static boolean flag(HclBody body, String attribute) {
        return body.attribute(attribute).flatMap(a -> StaticValues.bool(a.expression())).orElse(false);
    }

    private ModuleDocs result() {
        for (ModuleDocs.Resource resource : resources.values()) {
            providers.implied(resource.provider());
        }
        List<ModuleDocs.Resource> sorted = new ArrayList<>(resources.values());
        sorted.sort((a, b) -> a.mode() != b.mode() ? a.mode().compareTo(b.mode()) : a.address().compareTo(b.address()));
        return new ModuleDocs(path, List.copyOf(inputs.values()), List.copyOf(outputs.values()), sorted, providers.list(), requiredCore,
                List.copyOf(calls.values()), notesKept());
    }
}
