package dev.wharf.terraform.layout;

/** A Terraform name or version that cannot be placed in the OCI layout, with the reason. */
public class LayoutException extends IllegalArgumentException {
    public LayoutException(String message) {
        super(message);
    }
}
