package dev.wharf.terraform.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tags of each repository whose manifest the cache holds as found, so that a fresh tag list
 * forgets the ones it no longer names without walking every cached tag of every repository: with a
 * thousand modules that walk, once per module list, was a quarter of the server's CPU while the
 * catalog refreshed (bench/RESULTS.md, session 17). Only found tags are kept: they exist in the
 * registry, so the index grows with its contents, not with what clients ask for. A tag the cache
 * evicted stays here until a list drops it; forgetting it then is harmless.
 */
final class FoundTags {
    private final ConcurrentHashMap<String, Set<String>> byRepository = new ConcurrentHashMap<>();

    void add(String repository, String tag) {
        byRepository.computeIfAbsent(repository, r -> ConcurrentHashMap.newKeySet()).add(tag);
    }

    void remove(String repository, String tag) {
        Set<String> tags = byRepository.get(repository);
        if (tags != null) {
            tags.remove(tag);
        }
    }

    /** Removes and returns the repository's tags that {@code listed} does not hold. */
    List<String> removeUnlisted(String repository, Set<String> listed) {
        Set<String> tags = byRepository.get(repository);
        List<String> gone = new ArrayList<>();
        if (tags == null) {
            return gone;
        }
        for (String tag : tags) {
            if (!listed.contains(tag) && tags.remove(tag)) {
                gone.add(tag);
            }
        }
        return gone;
    }
}
