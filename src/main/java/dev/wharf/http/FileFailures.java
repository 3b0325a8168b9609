package dev.wharf.http;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * A failed file read in words an operator can act on. The JDK's exceptions for the two commonest
 * causes carry only the path as their message, so "cannot read it: /etc/wharf/tokens.yaml" did not
 * say whether the file was missing or unreadable.
 */
public final class FileFailures {
    private FileFailures() {
    }

    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        return String.valueOf(e.getMessage());
    }
}
