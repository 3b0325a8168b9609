package dev.wharf.terraform.docs;

import dev.wharf.terraform.docs.HclBody.Attribute;
import dev.wharf.terraform.docs.HclToken.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The providers a module requires, by local name, merged as terraform-config-inspect merges them:
 * a {@code required_providers} entry is a version string (the old form) or an object with
 * {@code source}, {@code version} and {@code configuration_aliases}; a later entry adds its
 * constraints and, when it has one, its source; a provider block adds its {@code version}.
 */
final class RequiredProviders {
    private final Map<String, Entry> entries = new TreeMap<>();

    private static final class Entry {
        private Optional<String> source = Optional.empty();
        private final List<String> versions = new ArrayList<>();
        private final List<String> aliases = new ArrayList<>();
    }

    void declare(HclBody requiredProviders) {
        for (Attribute attribute : requiredProviders.attributes()) {
            Optional<String> version = StaticValues.string(attribute.expression());
            if (version.isPresent()) {
                entry(attribute.name()).versions.add(version.get());
                continue;
            }
            StaticObject.entries(attribute.expression()).ifPresent(fields -> {
                if (fields.isEmpty()) {
                    return;
                }
                Entry entry = entry(attribute.name());
                Optional<String> source = Optional.ofNullable(fields.get("source")).flatMap(StaticValues::string);
                if (source.isPresent()) {
                    entry.source = source;
                }
                Optional.ofNullable(fields.get("version")).flatMap(StaticValues::string).ifPresent(entry.versions::add);
                Optional.ofNullable(fields.get("configuration_aliases")).ifPresent(list -> entry.aliases.addAll(aliases(attribute.name(), list)));
            });
        }
    }

    void configured(String name, Optional<String> version) {
        Entry entry = entry(name);
        version.ifPresent(entry.versions::add);
    }

    void implied(String name) {
        entry(name);
    }

    List<ModuleDocs.ProviderRequirement> list() {
        List<ModuleDocs.ProviderRequirement> out = new ArrayList<>();
        entries.forEach((name, e) -> out.add(new ModuleDocs.ProviderRequirement(name, e.source, e.versions, e.aliases)));
        return out;
    }

    private Entry entry(String name) {
        return entries.computeIfAbsent(name, n -> new Entry());
    }

    /** {@code [aws.west, aws.east]}: the aliases of this provider, each {@code name.alias}. */
    private static List<String> aliases(String provider, List<HclToken> list) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 2 < list.size(); i++) {
            HclToken root = list.get(i);
            if (root.is(Kind.IDENT, provider) && list.get(i + 1).punct(".") && list.get(i + 2).kind() == Kind.IDENT) {
                out.add(list.get(i + 2).text());
                i += 2;
            }
        }
        return out;
    }
}
