package dev.wharf.terraform.upload;

/** An upload that cannot go ahead, with what to fix; nothing was pushed for the thing it names. */
public class UploadException extends RuntimeException {
    public UploadException(String message) {
        super(message);
    }
}
