package dev.wharf.http.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.owasp.html.HtmlStreamEventReceiver;

/**
 * Sits after the sanitiser and moves the relative targets of images ({@code src}) and links ({@code href}) it let
 * through under {@code root}, where the files they name are served: a package's README says
 * {@code ../img/screenshot.png} or {@code img/x.png}, written for Kibana, which resolves both against the package's
 * own top folder, and on a page at /ui/packages/… either named a page of the UI instead, so no screenshot showed.
 * Resolved the same way here (dot segments taken out as a browser does, never above the package). Every other
 * target (absolute, scheme-relative, from the root, a fragment or query alone) passes as the sanitiser left it.
 */
final class RelativeTargets implements HtmlStreamEventReceiver {
    private final HtmlStreamEventReceiver out;
    private final String root;

    /** @param root the files' route, such as {@code /package/NAME/VERSION}, already percent-encoded, without a trailing slash */
    RelativeTargets(HtmlStreamEventReceiver out, String root) {
        this.out = out;
        this.root = root;
    }

    @Override
    public void openTag(String element, List<String> attributes) {
        String target = element.equals("img") ? "src" : element.equals("a") ? "href" : null;
        if (target == null) {
            out.openTag(element, attributes);
            return;
        }
        List<String> moved = new ArrayList<>(attributes);
        for (int i = 0; i + 1 < moved.size(); i += 2) {
            if (moved.get(i).equals(target) && relative(moved.get(i + 1))) {
                moved.set(i + 1, under(moved.get(i + 1)));
            }
        }
        out.openTag(element, moved);
    }

    /** A relative-path reference: no scheme, and not starting at the root, the scheme or a fragment or query. */
    static boolean relative(String url) {
        if (url.isEmpty() || "/\\#?".indexOf(url.charAt(0)) >= 0) {
            return false;
        }
        int colon = url.indexOf(':');
        if (colon < 0) {
            return true;
        }
        String before = url.substring(0, colon).toLowerCase(Locale.ROOT);
        // A colon after a slash, ? or # is part of the path or query, not a scheme's end.
        return before.contains("/") || before.contains("?") || before.contains("#");
    }

    private String under(String url) {
        int end = NextPath.pathEnd(url);
        // Browsers read a backslash in a path as a slash.
        String path = NextPath.withoutDotSegments("/" + url.substring(0, end).replace('\\', '/'));
        return root + path + url.substring(end);
    }

    @Override
    public void openDocument() {
        out.openDocument();
    }

    @Override
    public void closeDocument() {
        out.closeDocument();
    }

    @Override
    public void closeTag(String element) {
        out.closeTag(element);
    }

    @Override
    public void text(String text) {
        out.text(text);
    }
}
