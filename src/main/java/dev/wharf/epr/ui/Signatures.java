package dev.wharf.epr.ui;

import dev.wharf.epr.index.IndexedPackage;

/**
 * What the index knows of a version's signature: whether it has one. The index does not verify
 * signatures (Kibana's Fleet does, against Elastic's key), so the UI never says "verified".
 */
final class Signatures {
    private Signatures() {
    }

    static boolean signed(IndexedPackage p) {
        return p.document().signaturePath != null;
    }

    /** A short label, marked up with a class the stylesheet colours. */
    static String badge(IndexedPackage p) {
        return signed(p) ? "<span class=\"sig signed\">signed</span>" : "<span class=\"sig unsigned\">unsigned</span>";
    }
}
