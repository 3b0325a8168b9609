package dev.wharf.terraform.upload;

/**
 * The target could not answer what the check of every module asks of it (a publish server that
 * cannot be reached, fails, or answers what is not its answer): no fault of one module, so a
 * recursive upload stops with this one message, nothing pushed, rather than repeat it under every
 * module of the tree.
 */
public final class TargetFailedException extends UploadException {
    public TargetFailedException(String message) {
        super(message);
    }
}
