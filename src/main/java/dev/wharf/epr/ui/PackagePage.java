package dev.wharf.epr.ui;

import static dev.wharf.epr.ui.UiPage.isolated;
import static dev.wharf.epr.ui.UiPage.text;
import static dev.wharf.epr.ui.UiPage.url;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.model.DataStream;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.PolicyTemplate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One package version: what its manifest says (type, conditions, owner, categories, signature),
 * links to its zip and signature, every version newest first, its data streams and policy
 * templates, and its README.
 *
 * @param versions every version of the package, newest first
 */
record PackagePage(IndexedPackage pkg, List<IndexedPackage> versions, PackageReadmes.Readme readme) {

    String title() {
        return pkg.name() + " " + pkg.versionText();
    }

    String body() {
        PackageDocument d = pkg.document();
        StringBuilder out = new StringBuilder();
        // The title is the publisher's text: in <bdi>, a right-to-left override in it (U+202E) ends with it and
        // cannot show the version after it backwards (1.2.3 as 3.2.1).
        out.append("<h1>").append(isolated(Objects.requireNonNullElse(d.title, d.name))).append(" <span class=\"note\">")
                .append(text(d.version)).append("</span></h1>\n");
        if (!d.description.isBlank()) {
            out.append("<p>").append(text(d.description)).append("</p>\n");
        }
        out.append("<dl>\n");
        item(out, "Name", d.name);
        item(out, "Type", d.type);
        Optional.ofNullable(d.release).ifPresent(r -> item(out, "Release", r));
        item(out, "Kibana", PackagesPage.kibana(d));
        if (d.conditions != null && d.conditions.elastic != null && !d.conditions.elastic.subscription.isBlank()) {
            item(out, "Subscription", d.conditions.elastic.subscription);
        }
        if (d.owner != null) {
            // Both are the publisher's, each isolated: an override at the end of the GitHub field had drawn the
            // owner type after it backwards.
            String github = Objects.requireNonNullElse(d.owner.github, "").strip();
            String owner = (github.isEmpty() ? "" : isolated(github))
                    + (d.owner.type == null ? "" : (github.isEmpty() ? "(" : " (") + isolated(d.owner.type) + ")");
            out.append("<dt>Owner</dt><dd>").append(owner).append("</dd>\n");
        }
        if (d.categories != null && !d.categories.isEmpty()) {
            out.append("<dt>Categories</dt><dd>").append(isolated(d.categories)).append("</dd>\n");
        }
        item(out, "Format version", d.formatVersion);
        out.append("<dt>Signature</dt><dd>").append(Signatures.badge(pkg)).append("</dd>\n");
        String zip = "/epr/" + url(d.name) + "/" + url(d.name + "-" + d.version) + ".zip";
        out.append("<dt>Download</dt><dd><a href=\"").append(zip).append("\">").append(text(d.name + "-" + d.version)).append(".zip</a>");
        if (Signatures.signed(pkg)) {
            out.append(" · <a href=\"").append(zip).append(".sig\">signature (.sig)</a>");
        }
        out.append("</dd>\n</dl>\n");

        out.append("<h2>Versions</h2>\n<ul class=\"inline\">\n");
        for (IndexedPackage v : versions) {
            out.append("<li><a href=\"").append(PackagesPage.link(v)).append("\"")
                    .append(v == pkg ? " aria-current=\"page\"" : "").append(">").append(text(v.versionText())).append("</a></li>\n");
        }
        out.append("</ul>\n");
        dataStreams(out, d.dataStreams);
        policyTemplates(out, d.policyTemplates);

        out.append("<section class=\"readme\" aria-labelledby=\"readme\">\n<h2 id=\"readme\">README</h2>\n");
        if (readme.html().isPresent()) {
            out.append(readme.html().get()).append('\n');
        } else {
            out.append("<p class=\"note\">").append(UiPage.reason(readme.problem().orElse("This version has no README."))).append("</p>\n");
        }
        out.append("</section>\n");
        return out.toString();
    }

    private static void item(StringBuilder out, String term, String value) {
        out.append("<dt>").append(term).append("</dt><dd>").append(text(value)).append("</dd>\n");
    }

    private static void dataStreams(StringBuilder out, @Nullable List<DataStream> streams) {
        out.append("<h2>Data streams</h2>\n");
        if (streams == null || streams.isEmpty()) {
            out.append("<p>This package has no data streams.</p>\n");
            return;
        }
        out.append("<table id=\"data-streams\">\n<caption>Data streams</caption>\n<thead><tr><th scope=\"col\">Title</th>")
                .append("<th scope=\"col\">Type</th><th scope=\"col\">Dataset</th></tr></thead>\n<tbody>\n");
        for (DataStream s : streams) {
            out.append("<tr><td>").append(text(s.title)).append("</td><td>").append(text(s.type)).append("</td><td>")
                    .append(text(Objects.requireNonNullElse(s.dataset, ""))).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void policyTemplates(StringBuilder out, @Nullable List<PolicyTemplate> templates) {
        out.append("<h2>Policy templates</h2>\n");
        if (templates == null || templates.isEmpty()) {
            out.append("<p>This package has no policy templates.</p>\n");
            return;
        }
        out.append("<table id=\"policy-templates\">\n<caption>Policy templates</caption>\n<thead><tr><th scope=\"col\">Name</th>")
                .append("<th scope=\"col\">Title</th><th scope=\"col\">Description</th><th scope=\"col\">Data streams</th>")
                .append("<th scope=\"col\">Inputs</th></tr></thead>\n<tbody>\n");
        for (PolicyTemplate t : templates) {
            List<String> inputs = t.inputs == null ? List.of() : t.inputs.stream().map(i -> i.type).filter(Objects::nonNull).map(Objects::requireNonNull).toList();
            out.append("<tr><td>").append(text(t.name)).append("</td><td>").append(text(t.title)).append("</td><td>")
                    .append(text(t.description)).append("</td><td>")
                    .append(isolated(t.dataStreams == null ? List.<String>of() : t.dataStreams)).append("</td><td>")
                    .append(isolated(inputs)).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }
}
