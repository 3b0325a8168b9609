"""Figure jvm (issue 19): the JVM's own choices side by side, in one run.

For each configuration, both Wharf servers start as `java [archive] OPTIONS -jar` (the class-data
archive from target/, when there, and exactly the configuration's options), the last one through
bin/'s launchers with their defaults; the figure takes:
  - cold start to the first correct answer (provider versions; /search over the seeded packages);
  - RSS idle (2 s after the first answers) and the peak under load (sampled every 250 ms);
  - wrk on provider versions and on /search, each beside nginx serving the same bytes in the same
    minutes: the throughput ratio and the p99.
The first configuration is the JVM's own defaults (G1, heap from the machine's RAM); the last is the
launcher's defaults alone. Targets (issue 19): RSS idle <= 100 MB, under load <= 256 MB.
"""
import json
import os
import threading
import time

import wharfbench as wb

# (label, JVM options, through the launcher). Without the launcher, `java ARCHIVE OPTIONS -jar`: exactly
# these options plus the class-data archive (none on the first line: the JVM's own defaults, as before).
CONFIGS = [
    ("java -jar: G1, JVM defaults, no class-data archive", None, False),
    ("G1, JVM's heap defaults", ["-XX:+UseG1GC"], False),
    ("Parallel, JVM's heap defaults", ["-XX:+UseParallelGC"], False),
    ("Serial, JVM's heap defaults", ["-XX:+UseSerialGC"], False),
    ("G1, -Xms16m -Xmx128m", ["-XX:+UseG1GC", "-Xms16m", "-Xmx128m"], False),
    ("Serial, -Xms16m -Xmx128m", ["-XX:+UseSerialGC", "-Xms16m", "-Xmx128m"], False),
    ("Serial, -Xms16m, C1 only (TieredStopAtLevel=1)", ["-XX:+UseSerialGC", "-Xms16m", "-XX:TieredStopAtLevel=1"], False),
    ("Serial, -Xms16m, -Xss512k, code cache 48 MB", ["-XX:+UseSerialGC", "-Xms16m", "-Xss512k", "-XX:ReservedCodeCacheSize=48m"], False),
    ("launcher defaults (bin/wharf-jvm)", [], True),
]
IDLE_TARGET_MB, LOAD_TARGET_MB = 100, 256


def run(b):
    a = b.a
    base = b.jvm_flags()
    endpoints = (("provider versions", "tf", "/v1/providers/bench/p0/versions"),
                 ("/search", "epr", "/search?kibana.version=8.15.0"))
    root = os.path.join(b.work, "nginx-root-jvm")
    os.makedirs(root, exist_ok=True)
    nginx = None
    try:
        archive = os.path.splitext(a.jar)[0] + ".jsa"
        for n, (label, flags, launcher) in enumerate(CONFIGS):
            if flags is None:
                flags = []
            elif not launcher and os.path.isfile(archive):
                flags = ["-XX:SharedArchiveFile=" + archive, "-Xshare:auto"] + flags
            servers, cold = start_both(b, "jvm-%d" % n, base + flags, launcher)
            idle, idle_at2, idle_wait = wb.idle_rss_kb({k: p.pid for k, p in servers.items()}, 4.0 if a.smoke else 20.0)
            if nginx is None:
                for i, (_, which, path) in enumerate(endpoints):
                    status, body = wb.http_get(servers[which].url + path)
                    if status != 200:
                        raise RuntimeError("%s answered %s" % (path, status))
                    with open(os.path.join(root, "jvm%d.json" % i), "wb") as f:
                        f.write(body)
                b.start_nginx(root)
                nginx = b.nginx
            peak, stop, sampler = sample_peaks(servers)
            results = []
            try:
                for i, (name, which, path) in enumerate(endpoints):
                    w_url, n_url = servers[which].url + path, b.nginx_url + "/jvm%d.json" % i
                    if a.warmup > 0:
                        b.wrk(w_url, a.warmup)
                        b.wrk(n_url, a.warmup)
                    w_rps, w_p99, w_bad, _ = b.wrk(w_url, a.duration)
                    n_rps, n_p99, _, _ = b.wrk(n_url, a.duration)
                    results.append((name, w_rps / n_rps if n_rps else 0.0, w_p99, n_p99, w_bad))
            finally:
                stop.set()
                sampler.join()
            for p in servers.values():
                b.stop(p)
            mb = lambda kb: kb / 1024  # noqa: E731
            idle_ok = max(idle.values()) <= IDLE_TARGET_MB * 1024
            load_ok = max(peak.values()) <= LOAD_TARGET_MB * 1024
            is_default = launcher
            b.row("jvm", "%s: cold start boring-registry / package-registry" % label, "%.2f s / %.2f s" % (cold["tf"], cold["epr"]))
            b.row("jvm", "%s: RSS idle / peak under load (boring-registry, package-registry)" % label,
                  "idle %s, load %.0f / %.0f MB" % (wb.idle_text(idle, idle_at2, idle_wait, ("tf", "epr")), mb(peak["tf"]), mb(peak["epr"])),
                  "", "", "≤ %d / ≤ %d MB" % (IDLE_TARGET_MB, LOAD_TARGET_MB), (idle_ok and load_ok) if is_default else None)
            b.row("jvm", "%s: throughput vs nginx, p99 (Wharf / nginx)" % label,
                  "; ".join("%s %.2f, p99 %.2f / %.2f ms%s" % (n, r, wp, np_, (", %d non-2xx" % bad) if bad else "")
                            for n, r, wp, np_, bad in results), "nginx, same bytes, same minutes", "", "")
    finally:
        if nginx is not None:
            b.stop(nginx)


def start_both(b, name, flags, launcher):
    """Both servers; seconds from launch to each one's first correct answer."""
    a = b.a
    tf = b.start_boring(name + "-tf", flags, launcher=launcher)
    url = tf.url + "/v1/providers/bench/p0/versions"
    b.wait_until("boring-registry (%s)" % name,
                 lambda: (lambda r: r[0] == 200 and len(json.loads(r[1])["versions"]) == a.provider_versions)(wb.http_get(url, 5)), 120, tf)
    tf_cold = time.monotonic() - tf.t0
    epr = b.start_epr(name + "-epr", flags, "packages", os.path.join(b.work, "epr-cache-" + name), launcher=launcher)
    surl = epr.url + "/search?kibana.version=8.15.0"
    b.wait_until("package-registry (%s)" % name,
                 lambda: (lambda r: r[0] == 200 and len(json.loads(r[1])) == a.package_names)(wb.http_get(surl, 5)), 300, epr)
    return {"tf": tf, "epr": epr}, {"tf": tf_cold, "epr": time.monotonic() - epr.t0}


def sample_peaks(servers):
    peak = {k: 0 for k in servers}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for k, p in servers.items():
                peak[k] = max(peak[k], wb.rss_kb(p.pid))
            stop.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    return peak, stop, sampler
