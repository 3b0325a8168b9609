package dev.wharf.terraform.mirror;

import java.util.List;

/** A release as the mirror stores it: its archives, and whether its SHA256SUMS and signature are there too. */
public record StoredRelease(List<StoredArchive> archives, boolean sumsStored) {
}
