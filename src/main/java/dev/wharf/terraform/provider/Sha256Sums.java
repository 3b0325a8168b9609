package dev.wharf.terraform.provider;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code SHA256SUMS} file as {@code sha256sum} writes it: {@code <hex>  <file name>} per line. */
public record Sha256Sums(Map<String, String> entries) {
    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *]?(\\S.*)");

    public Sha256Sums {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public static Sha256Sums parse(byte[] content, String source) {
        Map<String, String> entries = new LinkedHashMap<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(source + " line " + (i + 1)
                        + ": expected '<64 hex digits>  <file name>', found '" + abbreviate(line) + "'");
            }
            if (entries.put(m.group(2), m.group(1).toLowerCase(java.util.Locale.ROOT)) != null) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": '" + m.group(2) + "' is listed twice");
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + " lists no files");
        }
        return new Sha256Sums(entries);
    }

    public Optional<String> sha256Of(String fileName) {
        return Optional.ofNullable(entries.get(fileName));
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }
}
