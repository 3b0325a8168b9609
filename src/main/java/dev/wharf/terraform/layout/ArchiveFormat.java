package dev.wharf.terraform.layout;

import java.util.Locale;

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

    public static ArchiveFormat fromExtension(String text) {
        String e = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (e.startsWith(".")) {
            e = e.substring(1);
        }
        return switch (e) {
            case "tar.gz", "tgz" -> TAR_GZ;
            case "zip" -> ZIP;
            default -> throw new IllegalArgumentException("unknown module archive format '" + text + "': use tar.gz or zip");
        };
    }

    /** The format of a stored layer: by media type, else by the extension of its title. */
    public static ArchiveFormat ofLayer(String mediaType, String title) {
        if (MediaTypes.MODULE_ZIP.equals(mediaType) || mediaType.equals("application/zip") || mediaType.endsWith("+zip")
                || (title != null && title.toLowerCase(Locale.ROOT).endsWith(".zip"))) {
            return ZIP;
        }
        return TAR_GZ;
    }
}
