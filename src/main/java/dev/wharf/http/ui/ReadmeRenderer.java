package dev.wharf.http.ui;

import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.Handler;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.HtmlSanitizer;
import org.owasp.html.HtmlStreamRenderer;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * A README's Markdown as HTML a page may include: rendered by CommonMark with GitHub's tables (raw HTML in the
 * Markdown passes through it), then kept to an allow-list of formatting, block, table, link and
 * image markup, so no script, event handler, style or frame of a module's or package's author
 * reaches a reader. Shared by both registries' UIs, so both sanitise alike.
 */
public final class ReadmeRenderer {
    public String html(String markdown) {
        return Markdown.POLICY.sanitize(Markdown.RENDERER.render(Markdown.PARSER.parse(markdown)));
    }

    /**
     * The same, with relative image and link targets resolved against the top of the files that {@code filesRoot}
     * serves ({@link RelativeTargets}); every other target stays as the sanitiser leaves it.
     */
    public String html(String markdown, String filesRoot) {
        StringBuilder out = new StringBuilder(markdown.length() + 256);
        HtmlStreamRenderer renderer = HtmlStreamRenderer.create(out, Handler.DO_NOTHING);
        HtmlSanitizer.sanitize(Markdown.RENDERER.render(Markdown.PARSER.parse(markdown)),
                Markdown.POLICY.apply(new RelativeTargets(renderer, filesRoot)));
        return out.toString();
    }

    /**
     * Built on the first README a page shows, not while a server starts: the sanitiser's tables and the
     * parser were 2-3 % of the main thread's profile at a server's start (issue 19, session 10). All three are
     * immutable and safe to share between threads; the JVM builds them once.
     */
    private static final class Markdown {
        static final PolicyFactory POLICY = Sanitizers.FORMATTING.and(Sanitizers.BLOCKS).and(Sanitizers.TABLES)
                .and(Sanitizers.LINKS).and(Sanitizers.IMAGES)
                .and(new HtmlPolicyBuilder().allowElements("pre", "hr", "details", "summary").toFactory());
        static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
        static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
        static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).sanitizeUrls(true).build();
    }
}
