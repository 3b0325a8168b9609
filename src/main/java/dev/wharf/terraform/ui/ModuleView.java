package dev.wharf.terraform.ui;

import dev.wharf.terraform.discovery.ModuleDetail;
import dev.wharf.terraform.docs.ArchiveDocs;
import dev.wharf.terraform.docs.HclIdentifier;
import dev.wharf.terraform.docs.ModuleDocs;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleMetadata;
import java.util.List;
import java.util.Optional;

/**
 * A module page: one version (the newest unless asked), every version newest first, what its
 * manifest says, a usage snippet for this host at the newest version with that version's required
 * inputs, the version's documentation, and the README.
 *
 * @param readme the sanitised README; empty when there is none
 * @param readmeProblem why the README could not be read, if so
 * @param docs the shown version's documentation, or why it could not be read
 * @param newestRequired the required inputs of the newest version, for the snippet
 */
record ModuleView(ModuleDetail detail, String host, Optional<String> readme, Optional<String> readmeProblem, Documentation docs,
        List<ModuleDocs.Input> newestRequired) {

    /** Documentation, or the reason there is none. */
    record Documentation(Optional<ArchiveDocs> docs, String problem) {
    }

    static String link(ModuleAddress module, Optional<String> version) {
        return "/ui/modules/" + Html.url(module.namespace()) + "/" + Html.url(module.name()) + "/" + Html.url(module.provider())
                + version.map(v -> "/" + Html.url(v)).orElse("");
    }

    String title() {
        return detail.summary().module() + " " + detail.summary().version();
    }

    String body() {
        ModuleAddress module = detail.summary().module();
        String shown = detail.summary().version();
        String newest = detail.versions().get(0);
        ModuleMetadata metadata = detail.summary().metadata();
        StringBuilder out = new StringBuilder();
        out.append("<h1>").append(Html.text(module.toString())).append(" <span class=\"note\">").append(Html.text(shown))
                .append("</span></h1>\n");
        metadata.description().ifPresent(d -> out.append("<p>").append(Html.text(d)).append("</p>\n"));
        out.append("<dl>\n");
        metadata.source().filter(ModuleView::webAddress).ifPresent(s -> out.append("<dt>Source</dt><dd><a href=\"").append(Html.text(s))
                .append("\" rel=\"noopener noreferrer\">").append(Html.text(s)).append("</a></dd>\n"));
        metadata.publishedAt().ifPresent(at -> out.append("<dt>Published</dt><dd>").append(Html.text(at)).append("</dd>\n"));
        out.append("<dt>Providers</dt><dd>").append(Html.text(String.join(", ", detail.providers()))).append("</dd>\n</dl>\n");

        out.append("<h2>Usage</h2>\n<pre><code>module \"").append(Html.text(module.name())).append("\" {\n  source  = \"")
                .append(Html.text(host + "/" + module)).append("\"\n  version = \"").append(Html.text(newest)).append("\"\n");
        // Only names an attribute can have, as terraform reads one (a regex of its own here had left out a name
        // with a combining mark, which terraform takes), and a type's first line: a quoted label may hold escapes
        // ("x\n}\nresource …"), and a type any line break (\r among them), which had written HCL of the
        // publisher's own outside the module block of the registry's snippet.
        List<ModuleDocs.Input> shownRequired = newestRequired.stream().filter(i -> HclIdentifier.valid(i.name())).toList();
        if (!shownRequired.isEmpty()) {
            out.append("\n  # Required inputs\n");
            int width = shownRequired.stream().mapToInt(i -> i.name().length()).max().orElse(0);
            for (ModuleDocs.Input input : shownRequired) {
                out.append("  ").append(Html.text(input.name())).append(" ".repeat(width - input.name().length())).append(" = ")
                        .append(Html.text(input.type().map(ModuleView::typeComment).orElse("null"))).append('\n');
            }
        }
        out.append("}</code></pre>\n");

        out.append("<h2>Versions</h2>\n<ul class=\"inline\">\n");
        for (String version : detail.versions()) {
            out.append("<li><a href=\"").append(link(module, Optional.of(version))).append("\"")
                    .append(version.equals(shown) ? " aria-current=\"page\"" : "").append(">").append(Html.text(version)).append("</a></li>\n");
        }
        out.append("</ul>\n");

        out.append(docs.docs().map(ModuleDocsView::html).orElse("<section class=\"docs\" aria-labelledby=\"docs\">\n<h2 id=\"docs\">Documentation</h2>\n"
                + "<p class=\"note\">" + Html.reason(docs.problem()) + "</p>\n</section>\n"));

        out.append("<section class=\"readme\" aria-labelledby=\"readme\">\n<h2 id=\"readme\">README</h2>\n");
        if (readme.isPresent()) {
            out.append(readme.get()).append('\n');
        } else {
            out.append("<p class=\"note\">").append(Html.reason(readmeProblem.orElse("This version has no README."))).append("</p>\n");
        }
        out.append("</section>\n");
        return out.toString();
    }

    /** {@code null # TYPE}, the type cut at its first line terminator of any kind. */
    private static String typeComment(String type) {
        String[] lines = type.split("\\R", 2);
        return "null # " + lines[0] + (lines.length > 1 ? "…" : "");
    }

    private static boolean webAddress(String source) {
        return source.startsWith("https://") || source.startsWith("http://");
    }
}
