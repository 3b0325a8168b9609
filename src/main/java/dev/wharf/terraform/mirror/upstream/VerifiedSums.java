package dev.wharf.terraform.mirror.upstream;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A release's SHA256SUMS whose detached signature verified, with the signature and the key that made it. */
public record VerifiedSums(byte[] content, byte[] signature, String signingKeyId) {

    /** The SHA-256 the file lists for {@code fileName}, lower-case hex. */
    public Optional<String> sha256Of(String fileName) {
        return Optional.ofNullable(entries().get(fileName));
    }

    public Map<String, String> entries() {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\r?\n")) {
            String[] parts = line.strip().split("\\s+\\*?", 2);
            if (parts.length == 2 && parts[0].matches("[0-9a-fA-F]{64}")) {
                entries.put(parts[1], parts[0].toLowerCase(Locale.ROOT));
            }
        }
        return entries;
    }

    /** Roughly what this takes in memory, for the cache's size bound. */
    public int weight() {
        return content.length + signature.length + 64;
    }
}
