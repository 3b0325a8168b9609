package dev.wharf.cli.boring;

import dev.wharf.terraform.layout.ArchiveFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --storage-module-archive-format}: refused at parse time with the accepted values, not at first use. */
public final class ArchiveFormats implements ITypeConverter<ArchiveFormat> {
    @Override
    public ArchiveFormat convert(String value) {
        try {
            return ArchiveFormat.fromExtension(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
