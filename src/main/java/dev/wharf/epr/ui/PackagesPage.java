package dev.wharf.epr.ui;

import static dev.wharf.epr.ui.UiPage.text;
import static dev.wharf.epr.ui.UiPage.url;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.model.PackageDocument;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The home page: a search by name, title and description with a choice of type, and every package
 * the search picks with its title, type, Kibana condition and versions newest first, each marked
 * signed or unsigned.
 */
record PackagesPage(Optional<String> query, Optional<String> type, List<String> types, List<PackageListing.Entry> entries) {

    static String link(IndexedPackage p) {
        return "/ui/packages/" + url(p.name()) + "/" + url(p.versionText());
    }

    String body() {
        StringBuilder out = new StringBuilder("<h1>Packages</h1>\n");
        out.append("<form method=\"get\" action=\"/ui/\" role=\"search\">\n")
                .append("<label for=\"q\">Search packages by name, title or description</label>\n")
                .append("<input type=\"search\" id=\"q\" name=\"q\" value=\"").append(text(query.orElse(""))).append("\">\n")
                .append("<label for=\"type\">Type</label>\n<select id=\"type\" name=\"type\">\n<option value=\"\">any</option>\n");
        for (String t : types) {
            out.append("<option value=\"").append(text(t)).append("\"").append(type.filter(t::equals).isPresent() ? " selected" : "")
                    .append(">").append(text(t)).append("</option>\n");
        }
        out.append("</select>\n<button type=\"submit\">Search</button>\n</form>\n");
        boolean filtered = query.isPresent() || type.isPresent();
        if (entries.isEmpty()) {
            out.append("<p>").append(filtered ? "No packages match." : "No packages.").append("</p>\n");
            return out.toString();
        }
        out.append("<p class=\"note\">").append(entries.size()).append(entries.size() == 1 ? " package" : " packages")
                .append(filtered ? " match." : ".").append("</p>\n");
        out.append("<table>\n<caption>Packages, newest version first</caption>\n<thead><tr><th scope=\"col\">Package</th>")
                .append("<th scope=\"col\">Type</th><th scope=\"col\">Kibana</th><th scope=\"col\">Versions</th></tr></thead>\n<tbody>\n");
        // The title and description are the publisher's and share the cell with the name: each in <bdi>, so an override
        // in one cannot turn the next round.
        for (PackageListing.Entry e : entries) {
            PackageDocument newest = e.newest().document();
            out.append("<tr><td><a href=\"").append(link(e.newest())).append("\">").append(text(e.name())).append("</a>");
            if (newest.title != null && !newest.title.isBlank()) {
                out.append("<br><bdi class=\"title\">").append(text(newest.title)).append("</bdi>");
            }
            if (!newest.description.isBlank()) {
                out.append("<br><bdi class=\"note\">").append(text(newest.description)).append("</bdi>");
            }
            out.append("</td><td>").append(text(newest.type)).append("</td><td>").append(text(kibana(newest))).append("</td><td><ul class=\"versions\">");
            for (IndexedPackage v : e.versions()) {
                out.append("<li><a href=\"").append(link(v)).append("\">").append(text(v.versionText())).append("</a> ")
                        .append(Signatures.badge(v)).append("</li>");
            }
            out.append("</ul></td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        return out.toString();
    }

    static String kibana(PackageDocument d) {
        return d.conditions == null || d.conditions.kibana == null ? "any" : Objects.requireNonNullElse(d.conditions.kibana.version, "any");
    }
}
