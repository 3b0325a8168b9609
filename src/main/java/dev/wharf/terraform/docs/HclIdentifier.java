package dev.wharf.terraform.docs;

/**
 * HCL's identifier, as hclsyntax.ValidIdentifier reads one (scan_tokens.rl: {@code (ID_Start | '_')
 * (ID_Continue | '-')*}): terraform refuses a variable, output or module call whose name is not one
 * ("Invalid variable name"), though a quoted block label may hold any character, a NUL byte included. The documentation
 * and the module page's usage snippet ask it alike, so a name is an input on both or on neither.
 */
public final class HclIdentifier {
    private HclIdentifier() {
    }

    public static boolean valid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        int first = name.codePointAt(0);
        if (first != '_' && !Character.isUnicodeIdentifierStart(first)) {
            return false;
        }
        for (int at = Character.charCount(first); at < name.length(); ) {
            int c = name.codePointAt(at);
            // Java counts the controls it ignores in identifiers (NUL among them) as identifier parts; Unicode's ID_Continue does not.
            if (c != '-' && (!Character.isUnicodeIdentifierPart(c) || Character.isIdentifierIgnorable(c))) {
                return false;
            }
            at += Character.charCount(c);
        }
        return true;
    }
}
