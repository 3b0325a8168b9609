"""Figure jvm (issue 19): the JVM's own choices side by side, in one run.

For each configuration both Wharf servers start; the figure takes:
  - cold start to the first correct answer (provider versions; /search over the seeded packages);
  - RSS idle (once settled) and the peak under load (sampled every 250 ms);
  - wrk on provider versions and on /search, each beside nginx serving the same bytes in the same
    minutes, taking turns in rounds as in figure 1: the ratio of the median rates, and the median p99s.
The first configuration is `java -jar` with the JVM's own defaults (G1, heap from the machine's RAM, no
class-data archive). Every other one runs through bin/'s launchers, with their defaults and one choice
changed in JAVA_OPTS (which come after the launcher's own options, so they win): each row says what one
of the launcher's choices is worth against its alternative on today's code. The launcher's defaults run
first and last, so the two show how far the machine drifted within the run. Targets (issue 19): RSS idle
<= 100 MB, under load <= 256 MB, checked on the launcher's defaults.
"""
import json
import os
import threading
import time

import wharfbench as wb

# The JIT counts the JVM uses by default (JDK 17-25, tiered), which bin/wharf-jvm raises: C1 at five times
# them, C2 at ten times (bench/RESULTS.md, sessions 8 and 9). SHA-256's own CompileCommand stays.
JVM_JIT_COUNTS = ["-XX:Tier3InvocationThreshold=200", "-XX:Tier3MinInvocationThreshold=100", "-XX:Tier3CompileThreshold=2000",
                  "-XX:Tier4InvocationThreshold=5000", "-XX:Tier4MinInvocationThreshold=600", "-XX:Tier4CompileThreshold=15000",
                  "-XX:Tier4BackEdgeThreshold=40000"]


def machine_mb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    return 0


def configs():
    """(label, JVM options, through the launcher). Without the launcher: `java OPTIONS -jar`, nothing else."""
    # The JVM's own initial heap is 1/64 of the machine's memory, and its free ratios 40 / 70.
    jvm_heap = ["-Xms%dm" % max(8, machine_mb() // 64), "-XX:MinHeapFreeRatio=40", "-XX:MaxHeapFreeRatio=70"]
    return [
        ("java -jar: the JVM's defaults (G1, heap from the machine's RAM), no class-data archive", [], False),
        ("launcher defaults (bin/wharf-jvm)", [], True),
        ("launcher, G1 instead of Serial", ["-XX:+UseG1GC"], True),
        ("launcher, Parallel instead of Serial", ["-XX:+UseParallelGC"], True),
        ("launcher, the JVM's initial heap and free ratios instead of -Xms16m, 20/40", jvm_heap, True),
        ("launcher, the JVM's young generation, a third of the heap (-XX:NewRatio=2) instead of a quarter", ["-XX:NewRatio=2"], True),
        # -Xmn alone above -Xms16m would be cut to the initial heap (the JVM warns on stdout): the heap starts at 40 MB.
        ("launcher, a 24 MB young generation (-Xms40m -Xmn24m)", ["-Xms40m", "-Xmn24m"], True),
        ("launcher, the JVM's JIT counts instead of x5 (C1) and x10 (C2)", JVM_JIT_COUNTS, True),
        ("launcher, C1 only (-XX:TieredStopAtLevel=1)", ["-XX:TieredStopAtLevel=1"], True),
        ("launcher, no class-data archive (-Xshare:off)", ["-Xshare:off"], True),
        ("launcher defaults again (the machine's drift within the run)", [], True),
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
        for n, (label, flags, launcher) in enumerate(configs()):
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
                    # As figure 1: the time split into rounds, the two taking turns, medians compared. One run
                    # each put whatever else the machine did in those seconds into the ratio (session 29's run:
                    # the launcher's defaults at 0.95 and 0.65 of nginx on /search, first and last).
                    runs = {"wharf": [], "nginx": []}
                    turns = [("wharf", w_url), ("nginx", n_url)]
                    for r in range(a.rounds):
                        for key, url in (turns if r % 2 == 0 else turns[::-1]):
                            runs[key].append(b.wrk(url, a.duration / a.rounds))
                    (w_rps, w_p99), (n_rps, n_p99) = wb.medians(runs["wharf"]), wb.medians(runs["nginx"])
                    w_bad = sum(run[2] for run in runs["wharf"])
                    results.append((name, w_rps / n_rps if n_rps else 0.0, w_p99, n_p99, w_bad))
            finally:
                stop.set()
                sampler.join()
            for p in servers.values():
                b.stop(p)
            mb = lambda kb: kb / 1024  # noqa: E731
            idle_ok = max(idle.values()) <= IDLE_TARGET_MB * 1024
            load_ok = max(peak.values()) <= LOAD_TARGET_MB * 1024
            is_default = launcher and not flags
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
    b.wait_answer("boring-registry (%s)" % name, tf, "/v1/providers/bench/p0/versions",
                  lambda body: len(json.loads(body)["versions"]) == a.provider_versions, 120)
    tf_cold = time.monotonic() - tf.t0
    epr = b.start_epr(name + "-epr", flags, "packages", os.path.join(b.work, "epr-cache-" + name), launcher=launcher)
    b.wait_answer("package-registry (%s)" % name, epr, "/search?kibana.version=8.15.0",
                  lambda body: len(json.loads(body)) == a.package_names, 300)
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
