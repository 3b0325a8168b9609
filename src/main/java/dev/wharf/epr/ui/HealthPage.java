package dev.wharf.epr.ui;

import static dev.wharf.epr.ui.UiPage.text;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The index's health as a person reads it: its state, the kind of source, how many packages it
 * serves, the last refresh and the last full verification, and what it left out and why. Like
 * {@code /health} on this address it never names the source or repeats the source's error, which
 * may name a registry or a user: the log and the metrics address's {@code /health} have those.
 */
record HealthPage(IndexHealth health, IndexReport report, String kind, Instant now) {

    String body() {
        StringBuilder out = new StringBuilder("<h1>Index health</h1>\n<dl>\n");
        item(out, "Status", health.state().name().toLowerCase(Locale.ROOT));
        item(out, "Source", kind);
        item(out, "Packages", Integer.toString(health.packages()));
        item(out, "Last refresh", when(health.indexedAt()));
        item(out, "Last full verification", when(report.verifiedAt()));
        out.append("</dl>\n");
        if (health.error().isPresent()) {
            out.append("<p class=\"error\" role=\"status\">The package source failed at the last attempt; the index above is the last good one.")
                    .append(" The server log and /health on the metrics address say why.</p>\n");
        }
        out.append("<h2>Left out</h2>\n");
        if (report.leftOut().isEmpty()) {
            out.append("<p>The last refresh left nothing out.</p>\n");
            return out.toString();
        }
        out.append("<table id=\"left-out\">\n<caption>").append(report.leftOut().size())
                .append(" left out by the last refresh</caption>\n<thead><tr><th scope=\"col\">What</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n");
        for (IndexReport.LeftOut l : report.leftOut()) {
            out.append("<tr><td>").append(text(l.what())).append("</td><td>").append(UiPage.reason(l.reason())).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        return out.toString();
    }

    private String when(Optional<Instant> at) {
        return at.map(t -> t + " (" + ago(Duration.between(t, now)) + ")").orElse("never");
    }

    private static String ago(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        return seconds / 3600 + " h ago";
    }

    private static void item(StringBuilder out, String term, String value) {
        out.append("<dt>").append(term).append("</dt><dd>").append(text(value)).append("</dd>\n");
    }
}
