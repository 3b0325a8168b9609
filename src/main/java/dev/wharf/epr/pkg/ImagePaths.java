package dev.wharf.epr.pkg;

import dev.wharf.epr.model.Image;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Where an icon or screenshot named in a manifest is: in the package, and under the API's path. */
final class ImagePaths {
    private ImagePaths() {
    }

    /** The file in the package: manifests name images with or without a leading '/'. */
    static String inPackage(String src) {
        return src.startsWith("/") ? src.substring(1) : src;
    }

    static void setPaths(@Nullable List<Image> images, String base) {
        if (images != null) {
            for (Image i : images) {
                i.path = joined(base, i.src);
            }
        }
    }

    /**
     * {@code base} and {@code src} joined and cleaned as Go's {@code path.Join} does, which EPR builds the
     * path with: {@code ./img/i.svg} is {@code img/i.svg}, repeated slashes are one. The path is the one
     * the file is then asked by, and the server sends an unclean path to its clean form.
     */
    static String joined(String base, String src) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : (base + "/" + src).split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }
}
