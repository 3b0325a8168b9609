package dev.wharf.terraform;

import dev.wharf.oci.Descriptor;

/** A file as it sits in storage: its repository, the layer that holds it, and the name to serve it under. */
public record StoredFile(String repository, Descriptor layer, String fileName, String contentType) {
}
