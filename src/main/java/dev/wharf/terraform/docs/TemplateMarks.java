package dev.wharf.terraform.docs;

/** HCL's template sequences in literal text: {@code ${} and {@code %{} open one, {@code $${} and {@code %%{} stand for the characters. */
final class TemplateMarks {
    private TemplateMarks() {
    }

    static boolean holdsTemplate(String text) {
        for (int i = 0; i + 1 < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '$' || c == '%') && text.charAt(i + 1) == c && i + 2 < text.length() && text.charAt(i + 2) == '{') {
                i += 2;
            } else if ((c == '$' || c == '%') && text.charAt(i + 1) == '{') {
                return true;
            }
        }
        return false;
    }

    static String unescape(String text) {
        return text.replace("$${", "${").replace("%%{", "%{");
    }
}
