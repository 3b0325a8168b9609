package dev.wharf.terraform.ui;

import dev.wharf.terraform.discovery.ModulePage;
import dev.wharf.terraform.discovery.ModuleSummary;
import dev.wharf.terraform.provider.ProviderAddress;
import java.util.List;
import java.util.Optional;

/**
 * The home page: a search form, the namespaces, one page of modules (those the search or namespace
 * picks) and the providers.
 *
 * @param modules    empty when the registry cannot list its repositories ({@code unlisted} says why)
 * @param providers  the providers the search or namespace picks
 */
record HomePage(Optional<String> query, Optional<String> namespace, List<String> namespaces, Optional<ModulePage> modules,
                List<ProviderAddress> providers, Optional<String> unlisted) {

    String body() {
        StringBuilder out = new StringBuilder();
        out.append("<h1>Modules and providers</h1>\n");
        out.append("<form method=\"get\" action=\"/ui/\" role=\"search\">\n<label for=\"q\">Search modules by name or description</label>\n")
                .append("<input type=\"search\" id=\"q\" name=\"q\" value=\"").append(Html.text(query.orElse(""))).append("\">\n");
        namespace.ifPresent(ns -> out.append("<input type=\"hidden\" name=\"namespace\" value=\"").append(Html.text(ns)).append("\">\n"));
        out.append("<button type=\"submit\">Search</button>\n</form>\n");
        unlisted.ifPresent(why -> out.append("<p class=\"note\">").append(Html.text(why)).append("</p>\n"));

        out.append("<h2>Namespaces</h2>\n<ul class=\"inline\">\n");
        out.append("<li><a href=\"/ui/\"").append(namespace.isEmpty() ? " aria-current=\"page\"" : "").append(">all</a></li>\n");
        for (String ns : namespaces) {
            out.append("<li><a href=\"/ui/?namespace=").append(Html.url(ns)).append("\"")
                    .append(namespace.filter(ns::equals).isPresent() ? " aria-current=\"page\"" : "").append(">")
                    .append(Html.text(ns)).append("</a></li>\n");
        }
        out.append("</ul>\n");

        out.append("<h2>Modules</h2>\n");
        modules.ifPresent(page -> modules(out, page));

        out.append("<h2>Providers</h2>\n");
        if (providers.isEmpty()) {
            out.append("<p>No providers").append(query.isPresent() || namespace.isPresent() ? " match." : ".").append("</p>\n");
        } else {
            out.append("<ul>\n");
            for (ProviderAddress provider : providers) {
                out.append("<li><a href=\"/ui/providers/").append(Html.url(provider.namespace())).append('/').append(Html.url(provider.name()))
                        .append("\">").append(Html.text(provider.toString())).append("</a></li>\n");
            }
            out.append("</ul>\n");
        }
        return out.toString();
    }

    private void modules(StringBuilder out, ModulePage page) {
        if (page.modules().isEmpty()) {
            out.append("<p>No modules").append(query.isPresent() || namespace.isPresent() ? " match." : ".").append("</p>\n");
            return;
        }
        out.append("<table>\n<thead><tr><th scope=\"col\">Module</th><th scope=\"col\">Newest version</th>")
                .append("<th scope=\"col\">Description</th></tr></thead>\n<tbody>\n");
        for (ModuleSummary summary : page.modules()) {
            out.append("<tr><td><a href=\"").append(ModuleView.link(summary.module(), Optional.empty())).append("\">")
                    .append(Html.text(summary.module().toString())).append("</a></td><td>").append(Html.text(summary.version()))
                    .append("</td><td>").append(Html.text(summary.metadata().description().orElse(""))).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        if (page.offset() > 0 || page.more()) {
            out.append("<nav aria-label=\"Module pages\"><ul class=\"inline\">\n");
            if (page.offset() > 0) {
                out.append("<li><a href=\"").append(pageLink(Math.max(0, page.offset() - page.limit()))).append("\">Previous modules</a></li>\n");
            }
            if (page.more()) {
                out.append("<li><a href=\"").append(pageLink(page.offset() + page.limit())).append("\">Next modules</a></li>\n");
            }
            out.append("</ul></nav>\n");
        }
    }

    private String pageLink(int offset) {
        StringBuilder link = new StringBuilder("/ui/?offset=").append(offset);
        query.ifPresent(q -> link.append("&amp;q=").append(Html.url(q)));
        namespace.ifPresent(ns -> link.append("&amp;namespace=").append(Html.url(ns)));
        return link.toString();
    }
}
