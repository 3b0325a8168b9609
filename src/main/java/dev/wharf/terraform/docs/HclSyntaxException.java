package dev.wharf.terraform.docs;

/** A configuration file that is not HCL native syntax; the message says where and why. */
final class HclSyntaxException extends Exception {
    HclSyntaxException(int line, String why) {
        super("line " + line + ": " + why);
    }
}
