package dev.wharf.terraform.layout;

import java.util.Objects;

/** A Terraform name or version that cannot be placed in the OCI layout, with the reason. */
public class LayoutException extends IllegalArgumentException {
    public LayoutException(String message) {
        super(message);
    }

    /** Never null: every constructor takes a message, and callers show it as it is. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
