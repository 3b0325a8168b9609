package dev.wharf.epr.index;

import java.io.IOException;
import java.util.Optional;

/** Where the bytes of an indexed package come from: its files, its zip, its signature. */
public interface PackageContent {

    /** A file inside the package ({@code docs/README.md}), or empty when there is none. */
    Optional<Resource> file(String path) throws IOException;

    /** The package as EPR serves it: a zip with one {@code {name}-{version}/} root folder. */
    Resource zip() throws IOException;

    /** The detached OpenPGP signature of the zip, when the package has one. */
    Optional<Resource> signature() throws IOException;
}
