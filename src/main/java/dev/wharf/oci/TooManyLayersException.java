package dev.wharf.oci;

/**
 * A manifest refused for listing more layers than Wharf reads ({@code ManifestReader.MAX_LAYERS}): a
 * manifest all the same, so the stores say so instead of calling it "not an artifact manifest".
 */
public final class TooManyLayersException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    TooManyLayersException(int bound) {
        super("it lists more than " + bound + " layers, more than any artifact Wharf reads has (its own have one or two)");
    }
}
