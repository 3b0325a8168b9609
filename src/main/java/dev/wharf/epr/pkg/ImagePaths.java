package dev.wharf.epr.pkg;

import dev.wharf.epr.model.Image;
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
                i.path = base + "/" + inPackage(i.src);
            }
        }
    }
}
