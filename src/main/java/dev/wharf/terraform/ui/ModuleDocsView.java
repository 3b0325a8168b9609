package dev.wharf.terraform.ui;

import dev.wharf.terraform.docs.ArchiveDocs;
import dev.wharf.terraform.docs.ModuleDocs;
import java.util.List;

/**
 * A module version's documentation as HTML: for the root module and then each submodule (a
 * {@code <details>} that opens without script), tables of inputs, outputs, resources and required
 * providers, each with a caption and header cells that say what they head, and the module calls.
 */
final class ModuleDocsView {
    private ModuleDocsView() {
    }

    static String html(ArchiveDocs docs) {
        StringBuilder out = new StringBuilder();
        out.append("<section class=\"docs\" aria-labelledby=\"docs\">\n<h2 id=\"docs\">Documentation</h2>\n");
        module(docs.root(), "", out);
        if (!docs.submodules().isEmpty()) {
            out.append("<h3 id=\"submodules\">Submodules</h3>\n");
            for (ModuleDocs submodule : docs.submodules()) {
                out.append("<details class=\"submodule\">\n<summary><code>").append(Html.text(submodule.path())).append("</code></summary>\n");
                // The folder is the publisher's: isolated, so an override in it cannot turn the caption's own words round.
                module(submodule, Html.isolated(submodule.path()) + ": ", out);
                out.append("</details>\n");
            }
        }
        out.append("</section>\n");
        return out.toString();
    }

    /** {@code prefix}: HTML that starts each caption, "" for the root module. */
    private static void module(ModuleDocs m, String prefix, StringBuilder out) {
        for (ModuleDocs.Note note : m.notes()) {
            // The file's name is the publisher's: isolated, so an override in it cannot turn the reason after it round; the
            // reason may quote the publisher too (a token, a name), so it shows an override in it escaped.
            out.append("<p class=\"note\">").append(note.file().isEmpty() ? "" : Html.isolated(note.file()) + ": ")
                    .append(Html.reason(note.reason())).append("</p>\n");
        }
        if (m.empty() && m.providers().isEmpty()) {
            out.append("<p class=\"note\">").append(prefix).append("no inputs, outputs or resources.</p>\n");
            return;
        }
        inputs(m.inputs(), prefix, out);
        outputs(m.outputs(), prefix, out);
        resources(m.resources(), prefix, out);
        providers(m, prefix, out);
        calls(m.moduleCalls(), prefix, out);
    }

    private static void inputs(List<ModuleDocs.Input> inputs, String prefix, StringBuilder out) {
        if (inputs.isEmpty()) {
            return;
        }
        long required = inputs.stream().filter(ModuleDocs.Input::required).count();
        caption(out, "inputs", prefix, "Inputs (" + inputs.size() + ", " + required + " required)");
        out.append("<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Default</th>"
                + "<th scope=\"col\">Description</th><th scope=\"col\">Required</th></tr></thead>\n<tbody>\n");
        for (ModuleDocs.Input input : inputs) {
            out.append("<tr><th scope=\"row\"><code>").append(Html.isolated(input.name())).append("</code>")
                    .append(input.sensitive() ? " <span class=\"note\">sensitive</span>" : "").append("</th><td>");
            input.type().ifPresent(t -> out.append("<pre><code>").append(Html.text(t)).append("</code></pre>"));
            out.append("</td><td>");
            if (!input.required()) {
                out.append("<code>").append(Html.text(input.defaultValue().toString())).append("</code>");
            }
            out.append("</td><td>").append(Html.text(input.description().orElse(""))).append("</td><td>")
                    .append(input.required() ? "yes" : "no").append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void outputs(List<ModuleDocs.Output> outputs, String prefix, StringBuilder out) {
        if (outputs.isEmpty()) {
            return;
        }
        caption(out, "outputs", prefix, "Outputs (" + outputs.size() + ")");
        out.append("<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Description</th></tr></thead>\n<tbody>\n");
        for (ModuleDocs.Output output : outputs) {
            out.append("<tr><th scope=\"row\"><code>").append(Html.isolated(output.name())).append("</code>")
                    .append(output.sensitive() ? " <span class=\"note\">sensitive</span>" : "").append("</th><td>")
                    .append(Html.text(output.description().orElse(""))).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void resources(List<ModuleDocs.Resource> resources, String prefix, StringBuilder out) {
        if (resources.isEmpty()) {
            return;
        }
        caption(out, "resources", prefix, "Resources (" + resources.size() + ")");
        out.append("<thead><tr><th scope=\"col\">Address</th><th scope=\"col\">Type</th><th scope=\"col\">Kind</th></tr></thead>\n<tbody>\n");
        for (ModuleDocs.Resource resource : resources) {
            out.append("<tr><th scope=\"row\"><code>").append(Html.text(resource.address())).append("</code></th><td><code>")
                    .append(Html.text(resource.type())).append("</code></td><td>")
                    .append(resource.mode() == ModuleDocs.Resource.Mode.DATA ? "data source" : "managed").append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void providers(ModuleDocs m, String prefix, StringBuilder out) {
        if (m.providers().isEmpty() && m.requiredCore().isEmpty()) {
            return;
        }
        caption(out, "providers", prefix, "Required providers");
        out.append("<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Source</th><th scope=\"col\">Version</th></tr></thead>\n<tbody>\n");
        if (!m.requiredCore().isEmpty()) {
            out.append("<tr><th scope=\"row\">terraform</th><td></td><td><code>").append(Html.isolated(m.requiredCore()))
                    .append("</code></td></tr>\n");
        }
        for (ModuleDocs.ProviderRequirement provider : m.providers()) {
            out.append("<tr><th scope=\"row\"><code>").append(Html.text(provider.name())).append("</code></th><td><code>")
                    .append(Html.text(provider.source().orElse("hashicorp/" + provider.name()))).append("</code></td><td><code>")
                    .append(Html.isolated(provider.versionConstraints())).append("</code></td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void calls(List<ModuleDocs.ModuleCall> calls, String prefix, StringBuilder out) {
        if (calls.isEmpty()) {
            return;
        }
        caption(out, "calls", prefix, "Module calls (" + calls.size() + ")");
        out.append("<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Source</th><th scope=\"col\">Version</th></tr></thead>\n<tbody>\n");
        for (ModuleDocs.ModuleCall call : calls) {
            out.append("<tr><th scope=\"row\"><code>").append(Html.text(call.name())).append("</code></th><td><code>")
                    .append(Html.text(call.source())).append("</code></td><td><code>").append(Html.text(call.version().orElse("")))
                    .append("</code></td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** {@code prefix} is HTML already (the submodule's isolated folder), {@code caption} the registry's own words. */
    private static void caption(StringBuilder out, String kind, String prefix, String caption) {
        out.append("<table class=\"").append(kind).append("\">\n<caption>").append(prefix).append(Html.text(caption)).append("</caption>\n");
    }
}
