package dev.wharf.terraform.provider;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A namespace's {@code signing-keys.json}, in boring-registry's format, which is also the
 * {@code signing_keys} object of the provider download answer:
 * {@code {"gpg_public_keys":[{"key_id":"…","ascii_armor":"…"}]}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SigningKeys(@JsonProperty("gpg_public_keys") List<GpgPublicKey> gpgPublicKeys) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GpgPublicKey(
            @JsonProperty("key_id") String keyId,
            @JsonProperty("ascii_armor") String asciiArmor,
            @JsonProperty("trust_signature") @Nullable String trustSignature,
            @JsonProperty("source") @Nullable String source,
            @JsonProperty("source_url") @Nullable String sourceUrl) {
        public GpgPublicKey(String keyId, String asciiArmor) {
            this(keyId, asciiArmor, null, null, null);
        }
    }

    public SigningKeys {
        gpgPublicKeys = gpgPublicKeys == null ? List.of() : List.copyOf(gpgPublicKeys);
    }

    /** Whether {@code key} is here as it is: the same id with the same armor. */
    public boolean holds(GpgPublicKey key) {
        return gpgPublicKeys.stream().anyMatch(k -> k.keyId().equalsIgnoreCase(key.keyId())
                && k.asciiArmor().strip().equals(key.asciiArmor().strip()));
    }

    /** These keys plus {@code key}, replacing a key with the same id. */
    public SigningKeys with(GpgPublicKey key) {
        List<GpgPublicKey> keys = new ArrayList<>();
        for (GpgPublicKey k : gpgPublicKeys) {
            if (!k.keyId().equalsIgnoreCase(key.keyId())) {
                keys.add(k);
            }
        }
        keys.add(key);
        return new SigningKeys(keys);
    }
}
