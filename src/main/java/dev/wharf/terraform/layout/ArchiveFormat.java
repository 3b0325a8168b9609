package dev.wharf.terraform.layout;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** How a module is archived: {@code --storage-module-archive-format} takes the extension without the dot. */
public enum ArchiveFormat {
    TAR_GZ("tar.gz", MediaTypes.MODULE_TAR_GZ, "application/gzip"),
    ZIP("zip", MediaTypes.MODULE_ZIP, "application/zip");

    private final String extension;
    private final String layerMediaType;
    private final String contentType;

    ArchiveFormat(String extension, String layerMediaType, String contentType) {
        this.extension = extension;
        this.layerMediaType = layerMediaType;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String layerMediaType() {
        return layerMediaType;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * The format an extension names, with or without the leading dot. boring-registry takes any
     * extension here and appends it to object keys; Wharf writes and serves only what terraform
     * unpacks and Wharf can write, so anything else is refused rather than served as garbage.
     */
    public static ArchiveFormat fromExtension(String text) {
        String e = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (e.startsWith(".")) {
            e = e.substring(1);
        }
        return switch (e) {
            case "tar.gz", "tgz" -> TAR_GZ;
            case "zip" -> ZIP;
            default -> throw new IllegalArgumentException("unknown module archive format '" + text
                    + "': --storage-module-archive-format takes tar.gz (or tgz) or zip");
        };
    }

    /**
     * The format a stored layer declares by its media type, else by the extension of its title;
     * empty when neither says (an artifact pushed by another tool as a bare blob).
     */
    public static Optional<ArchiveFormat> declaredBy(@Nullable String mediaType, @Nullable String title) {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
        if (type.equals(MediaTypes.MODULE_ZIP) || type.equals("application/zip") || type.equals("application/x-zip-compressed")
                || type.endsWith("+zip") || type.endsWith(".zip")) {
            return Optional.of(ZIP);
        }
        if (type.equals(MediaTypes.MODULE_TAR_GZ) || type.equals("application/gzip") || type.equals("application/x-gzip")
                || type.endsWith("tar+gzip") || type.endsWith(".tar.gz")) {
            return Optional.of(TAR_GZ);
        }
        String name = title == null ? "" : title.toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            return Optional.of(ZIP);
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return Optional.of(TAR_GZ);
        }
        return Optional.empty();
    }

    /** The format of a stored layer: as it declares, else {@code assumed} (the server's {@code --storage-module-archive-format}). */
    public static ArchiveFormat ofLayer(@Nullable String mediaType, @Nullable String title, ArchiveFormat assumed) {
        return declaredBy(mediaType, title).orElse(assumed);
    }
}
