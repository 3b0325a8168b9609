#!/usr/bin/env python3
"""Wharf benchmark harness: starts docker-registry, nginx and Wharf on 127.0.0.1, seeds data, measures the
figures of issues 6 and 19 as ratios taken in one run, prints one table and writes RESULTS.md.

Exit status: 0 all targets met, 2 a target missed, 1 the harness itself failed.
Standard library only; run through bench/run.
"""
import argparse
import datetime
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oci_seed as seed  # noqa: E402
import figure_publish  # noqa: E402
import figure_ui  # noqa: E402
import figure_proxy  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MB = 1 << 20
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))

SMOKE = dict(duration=1.0, warmup=0.0, rounds=1, modules=2, module_versions=3, providers=1, provider_versions=3,
             package_names=3, package_versions=2, image_kb=8, provider_zip_kb=64, big_provider_mb=4,
             big_package_mb=2, scales="30", download_runs=1, download_warmup=1, cold_starts=1, flat_tags=200, flat_versions=5)
FULL = dict(duration=20.0, warmup=5.0, rounds=3, modules=20, module_versions=10, providers=3, provider_versions=20,
            package_names=40, package_versions=5, image_kb=256, provider_zip_kb=8192, big_provider_mb=200,
            big_package_mb=50, scales="100,1000,5000", download_runs=5, download_warmup=3, cold_starts=3, flat_tags=10000, flat_versions=20)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="tiny data, about a second per measurement (keeps the harness working in CI)")
    p.add_argument("--duration", type=float, help="seconds of wrk per endpoint (full: 20)")
    p.add_argument("--warmup", type=float, help="seconds of wrk before each measured run (full: 5)")
    p.add_argument("--rounds", type=int,
                   help="figure 1: the --duration is split into this many wrk runs per server (each at least 1 s), interleaved, medians reported (full: 3)")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument("--modules", type=int, help="N modules (full: 20)")
    p.add_argument("--module-versions", type=int, help="versions per module (full: 10)")
    p.add_argument("--providers", type=int, help="providers (full: 3)")
    p.add_argument("--provider-versions", type=int, help="M versions per provider, 4 platforms each (full: 20)")
    p.add_argument("--package-names", type=int, help="EPR packages (full: 40)")
    p.add_argument("--package-versions", type=int, help="versions per EPR package; P = names x versions (full: 5)")
    p.add_argument("--image-kb", type=int, help="screenshot size in each package zip (full: 256)")
    p.add_argument("--provider-zip-kb", type=int, help="size of the figure-1 provider zips (full: 8192)")
    p.add_argument("--big-provider-mb", type=int, help="figure 2 provider zip (full: 200)")
    p.add_argument("--big-package-mb", type=int, help="figure 2 package zip (full: 50)")
    p.add_argument("--scales", help="figure 3 sizes, comma-separated (full: 100,1000,5000)")
    p.add_argument("--epr-scales", help="figure 3 EPR index sizes, comma-separated (default: --scales; '' for none)")
    p.add_argument("--download-runs", type=int, help="figure 2 repetitions, median taken (full: 5)")
    p.add_argument("--download-warmup", type=int,
                   help="figure 2: downloads from each server before its measured ones, reported but not counted (full: 3)")
    p.add_argument("--cold-starts", type=int, help="figure 3: starts of each server to its first correct answer, median taken (full: 3)")
    p.add_argument("--flat-tags", type=int, help="figure flat: tags in the flat repository (full: 10000)")
    p.add_argument("--flat-versions", type=int, help="figure flat: versions of the module listed, nested and flat (full: 20)")
    p.add_argument("--jvm-flags", default=os.environ.get("WHARF_BENCH_JVM_FLAGS", ""),
                   help="extra JVM flags for Wharf in figures 1, 3, 4 (figure 2 always adds -Xmx64m)")
    p.add_argument("--java", default=os.environ.get("JAVA", "java"), help="java executable (e.g. a JDK 25)")
    p.add_argument("--jar", default=os.path.join(ROOT, "target", "wharf.jar"))
    p.add_argument("--no-launcher", action="store_true",
                   help="run Wharf as `java FLAGS -jar JAR` instead of through bin/'s launchers (no class-data archive, no launcher defaults)")
    p.add_argument("--classpath", help="run Wharf from this class path instead of the jar (used by BenchSmokeTest)")
    p.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"), help="where to write the results")
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs, data)")
    p.add_argument("--figures", default="1,2,3,flat,replicas,publish,image",
                   help="which figures to run, comma-separated (default every figure but jvm, so that one run writes every row "
                        "issue 19 asks for into one table; figure 1 includes cold start and figure 4; "
                        "'flat' compares module versions in the flat and the nested layout; 'replicas' puts 1, 2, 3 boring-registry "
                        "replicas behind nginx and measures the staleness window after a publish; 'publish' compares publishing "
                        "over HTTP with the direct upload; 'jvm' compares collectors and heap settings "
                        "(bench/figure_jvm.py); 'image' the container image's size and start (bench/figure_image.py)); "
                        "only the data they need is seeded")
    a = p.parse_args(argv)
    defaults = SMOKE if a.smoke else FULL
    for k, v in defaults.items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    a.epr_scales = a.scales if a.epr_scales is None else a.epr_scales
    a.scales = [int(x) for x in str(a.scales).split(",") if x.strip()]
    a.epr_scales = [int(x) for x in str(a.epr_scales).split(",") if x.strip()]
    if a.rounds < 1:
        p.error("--rounds takes a number of at least 1")
    if a.cold_starts < 1:
        p.error("--cold-starts takes a number of at least 1")
    if a.download_warmup < 0:
        p.error("--download-warmup takes a number of at least 0")
    a.figures = {x.strip() for x in a.figures.split(",") if x.strip()}
    if not a.figures or not a.figures <= {"1", "2", "3", "flat", "replicas", "publish", "jvm", "image"}:
        p.error("--figures takes a comma-separated subset of 1,2,3,flat,replicas,publish,jvm,image")
    return a


def medians(runs):
    """(median req/s, median p99) of wrk runs."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


_HANDED_OUT = set()


def free_port():
    """A free port below the kernel's ephemeral range. A port the kernel hands out for bind(0) comes
    from that range, which every outgoing connection (wrk's, the servers' own to the registry) draws
    from too, so one could take it between this check and the server's bind (a run of 2026-12-04
    failed so: "address already in use" on a telemetry port)."""
    low = ephemeral_low()
    for _ in range(100):
        port = random.randint(max(1024, low - 12000), low - 1)
        if port in _HANDED_OUT:
            # Two picks made before either port is bound (a server's and its telemetry's) must differ.
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            _HANDED_OUT.add(port)
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=30):
    """(status, body bytes); never raises for HTTP statuses."""
    try:
        with NO_PROXY.open(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class KeptConnection:
    """GETs to one server over one kept-alive connection, opened again after any failure: how a client that
    waits for a server to come up should ask. A new connection every 10 ms (urllib's way) cost package-registry
    0.3 s of CPU and 0.2 s of wall on the way to its first correct search, 6 alternated starts each
    (bench/RESULTS.md, session 35): the harness slowed what it timed."""

    def __init__(self, base_url):
        u = urllib.parse.urlsplit(base_url)
        self.base, self.host, self.port = base_url, u.hostname, u.port or 80
        self.conn = None

    def get(self, path, timeout=5):
        """(status, body bytes); never raises for HTTP statuses; OSError when the server cannot be asked."""
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            self.conn.request("GET", path)
            r = self.conn.getresponse()
            body = r.read()
            if r.will_close:
                self.close()
            return r.status, body
        except (OSError, http.client.HTTPException) as e:
            self.close()
            raise OSError("GET %s%s: %s" % (self.base, path, e)) from e

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def idle_rss_kb(pids, limit=20.0):
    """RSS (KB) of each process once it has settled, read after each answer that started it: ({name: KB} settled,
    {name: KB} at 2 s, seconds waited). At 2 s a JVM has not yet collected the garbage of its start nor given
    its native heap back (the launchers trim it every 2 s), and RSS still falls by up to 10 MB (bench/RESULTS.md,
    session 10); settled means no process moved by more than 1 MB over the last 3 s, or `limit` reached."""
    time.sleep(2)
    waited = 2.0
    history = [{k: rss_kb(p) for k, p in pids.items()}]
    while waited < limit:
        if len(history) >= 4 and all(max(h[k] for h in history[-4:]) - min(h[k] for h in history[-4:]) <= 1024
                                     for k in pids):
            break
        time.sleep(1)
        waited += 1
        history.append({k: rss_kb(p) for k, p in pids.items()})
    return history[-1], history[0], waited


def idle_text(settled, at2, waited, names):
    """'95.2 / 119.0 MB (settled after 6 s; at 2 s 98 / 124 MB)' for the processes in `names`, in that order. The settled
    figures have a decimal: the targets compare them in kilobytes, and 100.4 MB shown as 100 read as a target missed at 100."""
    return "%s MB (settled after %.0f s; at 2 s %s MB)" % (" / ".join("%.1f" % (settled[n] / 1024) for n in names), waited,
                                                          " / ".join("%.0f" % (at2[n] / 1024) for n in names))


def cpu_seconds(pid):
    """User and system CPU time a process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


class RegistryTraffic(tuple):
    """Requests docker-registry logged, and the bytes it answered with."""

    def __new__(cls, requests, size):
        return tuple.__new__(cls, (requests, size))

    def __str__(self):
        n, size = self
        return "%d req %s" % (n, ("%.0f KB" % (size / 1024)) if size < 10 * MB else ("%.0f MB" % (size / MB)))


class Deadline(Exception):
    pass


class Bench:
    def __init__(self, args):
        self.a = args
        self.work = tempfile.mkdtemp(prefix="wharf-bench-")
        self.procs = []
        self.rows = []          # (figure, measure, wharf, baseline, ratio, target, met)
        self.notes = []
        self.missed = []
        self.registry_log = (0, 0)  # (bytes of docker-registry's access log read, requests counted in them)
        self.t_start = time.monotonic()

    # ------------------------------------------------------------ processes
    def start(self, name, cmd, env=None):
        out = open(os.path.join(self.work, name + ".out"), "ab")
        err = open(os.path.join(self.work, name + ".err"), "ab")
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=self.work)
        p.bench_name = name
        self.procs.append(p)
        return p

    def registry_activity(self):
        """(requests in docker-registry's access log so far, its CPU seconds so far): their differences say what a turn asked of it."""
        # Only what was written since the last call, up to its last whole line: the log grows by every seeded file.
        counted = self.registry_log
        with open(os.path.join(self.work, "docker-registry.out"), "rb") as f:
            f.seek(counted[0])
            new = f.read()
        whole = new.rfind(b"\n") + 1
        self.registry_log = (counted[0] + whole, counted[1] + new[:whole].count(b' HTTP/1.1" '))
        return self.registry_log[1], cpu_seconds(self.registry.pid)

    def stop(self, p):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=5)
        if p in self.procs:
            self.procs.remove(p)

    def stop_all(self):
        for p in list(reversed(self.procs)):
            self.stop(p)

    def log_tail(self, name, n=30):
        text = ""
        for ext in (".err", ".out"):
            path = os.path.join(self.work, name + ext)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    text += "".join(f.readlines()[-n:])
        return text

    def wait_until(self, what, check, timeout, proc=None, interval=0.01):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError("%s: process exited (%s) while waiting:\n%s" % (what, proc.returncode, self.log_tail(proc.bench_name)))
            try:
                if check():
                    return
            except (OSError, ValueError):
                pass
            time.sleep(interval)
        raise Deadline("%s: not ready within %ss" % (what, timeout))

    def java(self, flags, launcher=None):
        """The command that runs Wharf, the program name to follow: through bin/'s launchers (the class-data
        archive and the launcher's JVM defaults, then `flags` as JAVA_OPTS) unless --no-launcher or launcher=False."""
        if self.a.classpath:
            return [self.a.java] + flags + ["-cp", self.a.classpath, "dev.wharf.cli.Main"]
        if launcher is None:
            launcher = not self.a.no_launcher
        if launcher:
            return ["env", "JAVA=" + self.a.java, "WHARF_JAR=" + self.a.jar, "JAVA_OPTS=" + " ".join(flags),
                    "sh", "-c", 'program=$1; shift; exec "$0/bin/$program" "$@"', ROOT]
        return [self.a.java] + flags + ["-jar", self.a.jar]

    def jvm_flags(self):
        return self.a.jvm_flags.split() if self.a.jvm_flags.strip() else []

    # ------------------------------------------------------------ servers
    def start_registry(self):
        self.reg_port = free_port()
        cfg = os.path.join(self.work, "registry.yml")
        with open(cfg, "w") as f:
            f.write("version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n"
                    "    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%d\n  secret: wharf-bench\n"
                    % (os.path.join(self.work, "registry-data"), self.reg_port))
        self.registry = self.start("docker-registry", ["docker-registry", "serve", cfg])
        self.reg = "127.0.0.1:%d" % self.reg_port
        self.wait_until("docker-registry", lambda: http_get("http://%s/v2/" % self.reg, 2)[0] == 200, 30, self.registry)
        self.access_log = os.path.join(self.work, "docker-registry.out")

    def access_log_mark(self):
        time.sleep(0.15)  # let docker-registry write the lines of requests already answered
        return os.path.getsize(self.access_log)

    def requests_since(self, mark):
        time.sleep(0.15)
        with open(self.access_log, "rb") as f:
            f.seek(mark)
            lines = f.read().decode(errors="replace").splitlines()
        hits = [l for l in lines if '"' in l and " /v2/" in l]
        size = 0
        for l in hits:
            m = re.search(r'HTTP/[\d.]+" \d+ (\d+)', l)
            size += int(m.group(1)) if m else 0
        return RegistryTraffic(len(hits), size)

    def start_nginx(self, root):
        port = free_port()
        prefix = os.path.join(self.work, "nginx")
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        conf = os.path.join(prefix, "nginx.conf")
        user = "user root;\n" if os.geteuid() == 0 else ""
        with open(conf, "w") as f:
            f.write(user + """worker_processes auto;
pid %(p)s/nginx.pid;
error_log %(p)s/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path %(p)s/client_body;
  proxy_temp_path %(p)s/proxy;
  fastcgi_temp_path %(p)s/fastcgi;
  uwsgi_temp_path %(p)s/uwsgi;
  scgi_temp_path %(p)s/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/json;
  server {
    listen 127.0.0.1:%(port)d;
    root %(root)s;
  }
}
""" % {"p": prefix, "port": port, "root": root})
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = self.start("nginx", [nginx, "-p", prefix, "-c", conf, "-g", "daemon off;"])
        self.nginx_url = "http://127.0.0.1:%d" % port
        self.wait_until("nginx", lambda: http_get(self.nginx_url + "/", 2)[0] in (200, 403, 404), 20, self.nginx)

    def start_javalin(self, root):
        """Javalin alone serving the same bytes: how much of the gap to nginx is the HTTP stack's."""
        port = free_port()
        cp = self.a.classpath or self.a.jar
        self.javalin = self.start("javalin-static", [self.a.java] + self.jvm_flags() + ["-cp", cp, os.path.join(HERE, "StaticJavalin.java"),
                                                                                       str(port), root])
        self.javalin_url = "http://127.0.0.1:%d" % port
        self.wait_until("StaticJavalin", lambda: http_get(self.javalin_url + "/endpoint0.json", 2)[0] == 200, 120, self.javalin)

    def start_boring(self, name, flags, ttl="30s", repository=seed.TF_BASE, extra=(), launcher=None, download_cache=True):
        port, tport = free_port(), free_port()
        cache = ["--download-cache-dir", os.path.join(self.work, "download-cache-" + name)] if download_cache else []
        cmd = self.java(flags, launcher) + ["boring-registry", "server", "--storage-oci-registry", self.reg, "--storage-oci-insecure",
                                  "--storage-oci-repository", repository] + list(extra) + ["--listen-address", "127.0.0.1:%d" % port,
                                  "--listen-telemetry-address", "127.0.0.1:%d" % tport, "--download-proxy"] + cache + [
                                  "--cache-tags-ttl", ttl]
        t0 = time.monotonic()
        p = self.start(name, cmd)
        p.url = "http://127.0.0.1:%d" % port
        p.t0 = t0
        return p

    def start_epr(self, name, flags, repository, cache_dir, extra=(), launcher=None):
        port = free_port()
        cmd = self.java(flags, launcher) + ["package-registry", "-feature-oci-indexer", "-oci-registry", self.reg, "-oci-insecure",
                                  "-oci-repository", repository, "-oci-cache-dir", cache_dir, "-address", "127.0.0.1:%d" % port,
                                  "-require-package-signatures=false", "-oci-refresh-interval", "0"] + list(extra)
        t0 = time.monotonic()
        p = self.start(name, cmd)
        p.url = "http://127.0.0.1:%d" % port
        p.t0 = t0
        return p

    def row(self, figure, measure, wharf, baseline="", ratio="", target="", met=None):
        self.rows.append((figure, measure, wharf, baseline, ratio, target, "" if met is None else ("yes" if met else "MISSED")))
        if met is False:
            self.missed.append("%s %s" % (figure, measure))
        print("  %-4s %-52s %s %s %s" % (figure, measure, wharf, baseline, ratio), flush=True)

    # ------------------------------------------------------------ seeding
    def seed(self):
        a = self.a
        t = time.monotonic()
        self.reg_client = seed.Registry("127.0.0.1", self.reg_port)
        self.gpg = seed.Gpg(os.path.join(self.work, "gnupg"))
        data = os.path.join(self.work, "seed")
        os.makedirs(data)
        pool = seed.new_pool()
        try:
            seed.seed_signing_keys(self.reg_client, self.gpg, "bench")
            if a.figures & {"1", "replicas", "jvm"}:
                seed.seed_modules(self.reg_client, "bench", a.modules, a.module_versions, pool)
                if "1" in a.figures:
                    figure_ui.seed_modules(self.reg_client, pool, a.smoke)
            if a.figures & {"1", "jvm", "image"}:
                small_zip = os.path.join(data, "provider.zip")
                seed.provider_zip(small_zip, "p", a.provider_zip_kb * 1024)
                for i in range(a.providers):
                    seed.seed_provider(self.reg_client, self.gpg, "bench", "p%d" % i, a.provider_versions, small_zip, pool)
                # The same zips twice: pushed by `package-registry push` (its config describes each package, so
                # an index needs the manifests alone), and as plain oras artifacts (each zip read by the index).
                zips = seed.seed_packages(self.reg_client, "packages-oras", os.path.join(data, "packages"), a.package_names,
                                          a.package_versions, a.image_kb * 1024, pool, keep=True)
                self.wharf_push("packages", zips)
                for z in zips:
                    os.unlink(z)
            if "2" in a.figures:
                self.big_provider_zip = os.path.join(data, "big-provider.zip")
                seed.provider_zip(self.big_provider_zip, "big", a.big_provider_mb * MB)
                seed.push_provider_version(self.reg_client, self.gpg, "bench", "big", "1.0.0", self.big_provider_zip,
                                           [("linux", "amd64")])
                self.big_package_zip = seed.package_zip(os.path.join(data, "bench_big-1.0.0.zip"), "bench_big", "1.0.0",
                                                        64 * 1024, padding_bytes=a.big_package_mb * MB)
                seed.push_package(self.reg_client, "bigpackages", self.big_package_zip, "bench_big", "1.0.0")
            if "3" in a.figures:
                tiny_zip = os.path.join(data, "tiny-provider.zip")
                seed.provider_zip(tiny_zip, "s", 4096)
                self.scale_zip = tiny_zip
                for n in a.scales:
                    seed.seed_provider(self.reg_client, self.gpg, "bench", "scale%d" % n, self.scale_versions(n), tiny_zip, pool)
                for n in a.epr_scales:
                    seed.seed_packages(self.reg_client, "scale-epr-%d" % n, os.path.join(data, "scale-%d" % n),
                                       max(n // 10, 1), min(n, 10), 2048, pool, prefix="s%d" % n)
            if "flat" in a.figures:
                seed.seed_flat_and_nested_module(self.reg_client, "bench", "flatmod", a.flat_versions, a.flat_tags, pool)
        finally:
            pool.shutdown()
        self.seed_seconds = time.monotonic() - t
        print("seeded in %.1f s (registry data %s)" % (self.seed_seconds, du(os.path.join(self.work, "registry-data"))), flush=True)

    def wharf_push(self, repository, zips):
        """Pushes package zips with `package-registry push`, as a user publishes them."""
        out = subprocess.run(self.java([], launcher=False) + ["package-registry", "push", "-oci-registry", self.reg, "-oci-insecure",
                                                               "-oci-repository", repository] + list(zips),
                             capture_output=True, text=True, timeout=1800)
        if out.returncode != 0:
            raise RuntimeError("package-registry push failed (%d): %s" % (out.returncode, (out.stdout + out.stderr)[-2000:]))

    @staticmethod
    def scale_versions(n):
        return max(1, round(n / 6))  # 4 zips + SHA256SUMS + .sig per version: about n tags

    # ------------------------------------------------------------ wrk
    def wrk(self, url, duration):
        seconds = max(1, int(round(duration)))
        out = subprocess.run(["wrk", "-t%d" % self.a.threads, "-c%d" % self.a.connections, "-d%ds" % seconds,
                              "--latency", "--timeout", "5s", url],
                             capture_output=True, text=True, timeout=duration + 60).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
        p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        errors = re.search(r"Socket errors:.*", out)
        return rps, p99, int(bad.group(1)) if bad else 0, errors.group(0) if errors else ""

    # ------------------------------------------------------------ figure 1, 3 (cold start), 4
    def wait_answer(self, what, proc, path, correct, timeout):
        """Waits until GET `path` from `proc` answers 200 with a body that `correct(body)` takes, asked every
        10 ms over one kept-alive connection (KeptConnection)."""
        conn = KeptConnection(proc.url)

        def answered():
            status, body = conn.get(path)
            return status == 200 and correct(body)

        try:
            self.wait_until(what, answered, timeout, proc)
        finally:
            conn.close()

    def cold_starts(self, what, start, path, correct, timeout):
        """Starts a server --cold-starts times until GET `path` answers a body `correct(body)` takes (wait_answer);
        (the last process, still running, [(wall seconds, its CPU seconds, docker-registry's CPU seconds
        meanwhile)] per start)."""
        starts = []
        for i in range(self.a.cold_starts):
            last = i == self.a.cold_starts - 1
            registry_before = cpu_seconds(self.registry.pid)
            p = start(i, last)
            self.wait_answer(what, p, path, correct, timeout)
            starts.append((time.monotonic() - p.t0, cpu_seconds(p.pid), cpu_seconds(self.registry.pid) - registry_before))
            if not last:
                self.stop(p)
        return p, starts

    def figure1(self):
        a = self.a
        flags = self.jvm_flags()
        # One start is one sample of a machine whose other load moves it by a tenth of a second or more:
        # --cold-starts of each, the median reported with its spread, the last start kept for the figures below.
        p0_versions = a.provider_versions
        tf, tf_starts = self.cold_starts(
            "boring-registry first answer", lambda i, last: self.start_boring("wharf-terraform", flags),
            "/v1/providers/bench/p0/versions", lambda body: len(json.loads(body)["versions"]) == p0_versions, 120)
        search = "/search?kibana.version=8.15.0"

        def epr_correct(body):
            return len(json.loads(body)) == a.package_names

        # An empty cache each time: every start indexes from scratch.
        epr, epr_starts = self.cold_starts(
            "package-registry first answer",
            lambda i, last: self.start_epr("wharf-epr", flags, "packages",
                                           os.path.join(self.work, "epr-cache" if last else "epr-cache-%d" % i)),
            search, epr_correct, 300)
        # An operator's restart: the same repository, with the index and zips an earlier run persisted in
        # -oci-cache-dir (the image keeps it in its /data volume). The first start's cache, its process stopped.
        restart_starts = []
        if a.cold_starts > 1:
            again, restart_starts = self.cold_starts(
                "package-registry restart", lambda i, last: self.start_epr("wharf-epr-restart", flags, "packages",
                                                                           os.path.join(self.work, "epr-cache-0")),
                search, epr_correct, 300)
            self.stop(again)
        # The same packages as plain oras artifacts: no config, so the index downloads and reads every zip.
        oras, oras_starts = self.cold_starts(
            "package-registry first answer (oras artifacts)",
            lambda i, last: self.start_epr("wharf-epr-oras", flags, "packages-oras", os.path.join(self.work, "epr-oras-cache-%d" % i)),
            search, epr_correct, 300)
        self.stop(oras)
        tf_cold, tf_cpu, tf_registry_cpu = (statistics.median(s[k] for s in tf_starts) for k in range(3))
        epr_cold, epr_cpu, epr_registry_cpu = (statistics.median(s[k] for s in epr_starts) for k in range(3))

        def spread(starts):
            if len(starts) == 1:
                return "%.2f s" % starts[0][0]
            walls = sorted(s[0] for s in starts)
            return "%.2f s (median of %d starts; %s)" % (statistics.median(walls), len(walls), ", ".join("%.2f" % w for w in walls))

        # Issue 19's targets: through the launchers, with the class-data archive `mvn package` makes.
        self.row("3", "cold start boring-registry → correct provider versions", spread(tf_starts),
                 target="≤ 1.00 s", met=tf_cold <= 1.0)
        self.row("3", "cold start package-registry (index %d packages pushed by package-registry push) → correct search"
                 % (a.package_names * a.package_versions),
                 spread(epr_starts), target="≤ 2.00 s", met=epr_cold <= 2.0)
        self.row("3", "cold start package-registry, the same packages pushed as plain oras artifacts (every zip read) → correct search;"
                 " its CPU / docker-registry's", "%s; %.2f s / %.2f s" % (
                     spread(oras_starts), statistics.median(s[1] for s in oras_starts), statistics.median(s[2] for s in oras_starts)))
        if restart_starts:
            self.row("3", "package-registry restart on its persisted cache (%d packages) → correct search; its CPU / docker-registry's"
                     % (a.package_names * a.package_versions), "%s; %.2f s / %.2f s" % (
                         spread(restart_starts), statistics.median(s[1] for s in restart_starts),
                         statistics.median(s[2] for s in restart_starts)))
        # What a start costs the machine, not just the wall: Wharf's CPU and the registry's for the same
        # answers, and the least wall time those seconds need on this machine's cores.
        cores = os.cpu_count() or 1
        for name, cpu, registry_cpu in (("boring-registry", tf_cpu, tf_registry_cpu), ("package-registry", epr_cpu, epr_registry_cpu)):
            self.row("3", "CPU to that answer: %s / docker-registry; the least wall time it needs on %d cores" % (name, cores),
                     "%.2f s / %.2f s; %.2f s" % (cpu, registry_cpu, (cpu + registry_cpu) / cores))

        idle, idle_at2, idle_wait = idle_rss_kb({"boring-registry": tf.pid, "package-registry": epr.pid}, 4.0 if a.smoke else 20.0)

        latest = "%d.%d.0" % (1 + (p0_versions - 1) // 100, (p0_versions - 1) % 100)
        endpoints = [
            ("module versions", tf.url, "/v1/modules/bench/mod0/aws/versions"),
            ("provider versions", tf.url, "/v1/providers/bench/p0/versions"),
            ("provider download/{os}/{arch}", tf.url, "/v1/providers/bench/p0/%s/download/linux/amd64" % latest),
            ("EPR /search?kibana.version=8.15.0", epr.url, "/search?kibana.version=8.15.0"),
            ("EPR /categories", epr.url, "/categories"),
            ("discovery /v1/modules/search?q=mod", tf.url, "/v1/modules/search?q=mod"),
            ("discovery /v1/modules/{ns}/{name}/{provider}", tf.url, "/v1/modules/bench/mod0/aws"),
        ] + figure_ui.endpoints(a.smoke, tf.url)
        root = os.path.join(self.work, "nginx-root")
        os.makedirs(root)
        static = []
        for i, (name, base, path) in enumerate(endpoints):
            status, body = http_get(base + path)
            if status != 200:
                raise RuntimeError("%s answered %s: %s" % (path, status, body[:300]))
            fname = "endpoint%d.json" % i
            with open(os.path.join(root, fname), "wb") as f:
                f.write(body)
            static.append(fname)
        self.start_nginx(root)
        self.start_javalin(root)
        for i, fname in enumerate(static):
            with open(os.path.join(root, fname), "rb") as f:
                captured = f.read()
            s, b = http_get(self.nginx_url + "/" + fname)
            again = http_get(endpoints[i][1] + endpoints[i][2])[1]
            # The provider download answer carries freshly signed URLs: same length, other bytes.
            if s != 200 or b != captured or len(again) != len(captured):
                raise RuntimeError("nginx does not serve the bytes Wharf answers for " + endpoints[i][2])

        peak = {"boring-registry": 0, "package-registry": 0, "nginx": 0}
        stop = threading.Event()
        nginx_pid = self.nginx.pid

        def sample():
            while not stop.is_set():
                peak["boring-registry"] = max(peak["boring-registry"], rss_kb(tf.pid))
                peak["package-registry"] = max(peak["package-registry"], rss_kb(epr.pid))
                peak["nginx"] = max(peak["nginx"], rss_kb(nginx_pid) + sum(rss_kb(c) for c in children(nginx_pid)))
                stop.wait(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        same = []
        try:
            # The JVMs compile their request paths in the first seconds of load (C2 on Jetty's parser and
            # writer is shared by every endpoint), which left the first row measuring compilation: one
            # pass over every endpoint first, so each row measures warm answers, as nginx's are.
            if a.warmup > 0:
                for i, (name, base, path) in enumerate(endpoints):
                    self.wrk(base + path, a.warmup)
                    self.wrk(self.javalin_url + "/" + static[i], a.warmup)
            for i, (name, base, path) in enumerate(endpoints):
                w_url, n_url, j_url = base + path, self.nginx_url + "/" + static[i], self.javalin_url + "/" + static[i]
                if a.warmup > 0:
                    self.wrk(w_url, a.warmup)
                    self.wrk(n_url, a.warmup)
                    self.wrk(j_url, a.warmup)
                # One server's whole run and then the other's put whatever else the machine did in those
                # seconds into the ratio: six 5 s runs of the same nginx one after the other gave 52-62k
                # req/s and a p99 of 1.1-5.2 ms here (bench/RESULTS.md, session 16). So the time is
                # split into rounds, the servers take turns (the order reversed every other round), and
                # the medians are compared; nginx runs twice per round, and the second series against
                # the first shows how far apart two identical servers come out in the same rounds.
                runs = {"wharf": [], "nginx": [], "javalin": [], "nginx again": []}
                turns = [("wharf", w_url), ("nginx", n_url), ("javalin", j_url), ("nginx again", n_url)]
                # What the registry did in each server's turns: Wharf's background work (the module
                # catalog's rebuild, one tag list per module every --cache-tags-ttl) shares the two
                # cores with the answers measured.
                registry = {key: [0, 0.0] for key, _ in turns}
                for r in range(a.rounds):
                    for key, url in (turns if r % 2 == 0 else turns[::-1]):
                        requests_before, cpu_before = self.registry_activity()
                        runs[key].append(self.wrk(url, a.duration / a.rounds))
                        requests_after, cpu_after = self.registry_activity()
                        registry[key][0] += requests_after - requests_before
                        registry[key][1] += cpu_after - cpu_before
                self.notes.append("figure 1 %s: docker-registry during Wharf's turns %d requests, %.2f s of CPU; during nginx's %d, %.2f s"
                                  % (name, registry["wharf"][0], registry["wharf"][1], registry["nginx"][0], registry["nginx"][1]))
                (w_rps, w_p99), (n_rps, n_p99), (j_rps, j_p99), (n2_rps, n2_p99) = (
                    medians(runs[k]) for k in ("wharf", "nginx", "javalin", "nginx again"))
                w_bad = sum(run[2] for run in runs["wharf"])
                w_err = "; ".join(run[3] for run in runs["wharf"] if run[3])
                n_err = "; ".join(run[3] for series in ("nginx", "nginx again") for run in runs[series] if run[3])
                same.append((name, n2_rps / n_rps if n_rps else 0.0, n2_p99 / n_p99 if n_p99 else 0.0))
                ratio = w_rps / n_rps if n_rps else 0.0
                size = os.path.getsize(os.path.join(root, static[i]))
                ok = ratio >= 0.8 and w_bad == 0
                self.row("1", "%s (%s B)" % (name, size), "%.0f req/s, p99 %.2f ms" % (w_rps, w_p99),
                         "nginx %.0f req/s, p99 %.2f ms; Javalin alone %.0f req/s (%.2f of nginx), p99 %.2f ms"
                         % (n_rps, n_p99, j_rps, j_rps / n_rps if n_rps else 0, j_p99), "%.2f" % ratio, "≥ 0.80", ok)
                p99_ratio = w_p99 / n_p99 if n_p99 else 0.0
                self.row("1", "%s: p99 at c=%d" % (name, a.connections), "%.2f ms" % w_p99,
                         "nginx %.2f ms; Javalin alone %.2f ms" % (n_p99, j_p99), "%.2f" % p99_ratio,
                         "≤ 1.50 × nginx, req/s ≥ 1.00 × nginx", p99_ratio <= 1.5 and ratio >= 1.0 and w_bad == 0)
                if w_bad or w_err or n_err:
                    self.notes.append("figure 1 %s: Wharf non-2xx %d %s; nginx %s" % (name, w_bad, w_err, n_err))
        finally:
            stop.set()
            sampler.join()
        if same:
            rates, tails = [x[1] for x in same], [x[2] for x in same]
            self.row("1", "nginx against itself in the same rounds (the second series ÷ the first; the noise floor of the rows above)",
                     "req/s %.2f–%.2f, p99 %.2f–%.2f over %d answers" % (min(rates), max(rates), min(tails), max(tails), len(same)))
            for name, rate, tail in same:
                self.notes.append("figure 1 nginx against itself, %s: req/s %.2f, p99 %.2f" % (name, rate, tail))
        self.row("4", "RSS idle boring-registry / package-registry",
                 idle_text(idle, idle_at2, idle_wait, ("boring-registry", "package-registry")))
        self.row("4", "RSS peak under figure-1 load (Wharf vs nginx)", "%.0f MB / %.0f MB" % (peak["boring-registry"] / 1024,
                                                                                            peak["package-registry"] / 1024),
                 "nginx %.0f MB" % (peak["nginx"] / 1024))
        self.stop(self.nginx)
        self.stop(self.javalin)
        self.stop(tf)
        self.stop(epr)

    # ------------------------------------------------------------ figure 2
    def curl_speed(self, url, cpu=None):
        pin = ["taskset", "-c", str(cpu)] if cpu is not None else []
        out = subprocess.run(pin + ["curl", "-s", "--noproxy", "*", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{speed_download}", url],
                             capture_output=True, text=True, timeout=300).stdout.split()
        if out[0] != "200":
            raise RuntimeError("GET %s answered %s" % (url, out[0]))
        return int(out[1]), float(out[2])

    def warm_downloads(self, label, servers):
        """--download-warmup downloads from each (name, url), interleaved, before the measured ones, as figure 1
        warms each server up before it is measured: a JVM that has just started runs its write path in the
        interpreter and C1's profiling code for its first downloads, at about half the rate of the later ones
        (bench/RESULTS.md, session 38). Their rates get a row of their own, so the first downloads stay in view."""
        runs = self.a.download_warmup
        if runs <= 0:
            return
        speeds = {name: [] for name, _ in servers}
        for _ in range(runs):
            for name, url in servers:
                speeds[name].append(self.curl_speed(url)[1] / MB)
        text = ["%s %s MB/s" % (name, ", ".join("%.0f" % v for v in speeds[name])) for name, _ in servers]
        self.row("2", "%s: the %d download%s from each server before the measured ones (not counted), in order"
                 % (label, runs, "" if runs == 1 else "s"),
                 text[0], "; ".join(text[1:]))

    def pinned_downloads(self, label, size, w_url, d_url, server):
        """The same downloads with each server on one core and curl on the other. Left to the scheduler,
        Wharf's one writing thread and curl sometimes share a core (the writer wakes curl with each write,
        and the scheduler may run the woken task on the waker's core), while docker-registry's Go threads
        spread (bench/RESULTS.md, session 29): this row shows what the two servers' serving paths do when
        neither shares a core with its client."""
        a = self.a
        if (os.cpu_count() or 1) < 2 or not shutil.which("taskset"):
            self.notes.append("figure 2 %s pinned: skipped (needs 2 cores and taskset)" % label)
            return
        every = "0-%d" % ((os.cpu_count() or 2) - 1)
        try:
            for pid in (server.pid, self.registry.pid):
                subprocess.run(["taskset", "-a", "-pc", "1", str(pid)], check=True, capture_output=True)
            w, d = [], []
            for _ in range(a.download_runs):
                d.append(self.curl_speed(d_url, cpu=0)[1])
                w.append(self.curl_speed(w_url, cpu=0)[1])
        finally:
            for pid in (server.pid, self.registry.pid):
                subprocess.run(["taskset", "-a", "-pc", every, str(pid)], capture_output=True)
        wm, dm = statistics.median(w), statistics.median(d)
        self.row("2", "%s %d MB, each server on core 1 and curl on core 0 (taskset), median of %d"
                 % (label, size, a.download_runs), "%.0f MB/s" % (wm / MB), "direct %.0f MB/s" % (dm / MB),
                 "%.2f" % (wm / dm if dm else 0))

    def sha_of(self, url):
        h = hashlib.sha256()
        with NO_PROXY.open(url, timeout=300) as r:
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    return h.hexdigest()
                h.update(chunk)

    def figure2(self):
        a = self.a
        gc_tf, gc_epr = os.path.join(self.work, "gc-terraform.log"), os.path.join(self.work, "gc-epr.log")
        base = [f for f in self.jvm_flags() if not f.startswith("-Xmx")]
        tf = self.start_boring("wharf-terraform-64m", base + ["-Xmx64m", "-Xlog:gc*:file=%s" % gc_tf])
        self.streaming = self.start_boring("wharf-terraform-stream", base + ["-Xmx64m"], download_cache=False)
        proxy = figure_proxy.start_nginx_proxy(self, self.reg)
        epr = self.start_epr("wharf-epr-64m", base + ["-Xmx64m", "-Xlog:gc*:file=%s" % gc_epr], "bigpackages",
                             os.path.join(self.work, "epr-cache-big"))
        zip_name = "terraform-provider-big_1.0.0_linux_amd64.zip"
        tf_url = tf.url + "/v1/files/providers/bench/big/" + zip_name
        epr_url = epr.url + "/epr/bench_big/bench_big-1.0.0.zip"
        self.wait_until("boring-registry (-Xmx64m)", lambda: http_get(tf.url + "/v1/providers/bench/big/versions", 5)[0] == 200, 120, tf)
        self.wait_until("boring-registry (-Xmx64m, no download cache)",
                        lambda: http_get(self.streaming.url + "/v1/providers/bench/big/versions", 5)[0] == 200, 120, self.streaming)
        self.wait_until("package-registry (-Xmx64m)", lambda: http_get(epr.url + "/search", 5)[0] == 200, 300, epr)
        tf_digest = "sha256:" + seed.sha256_file(self.big_provider_zip)
        pkg_digest = "sha256:" + seed.sha256_file(self.big_package_zip)
        direct_tf = "http://%s/v2/%s/providers/bench/big/blobs/%s" % (self.reg, seed.TF_BASE, tf_digest)
        direct_pkg = "http://%s/v2/bigpackages/blobs/%s" % (self.reg, pkg_digest)
        # The first provider download streams from docker-registry (and fills --download-cache-dir);
        # the measured ones below come from the cache, as every later download of that file would.
        direct_via_proxy = proxy.url + direct_tf[direct_tf.index("/v2/"):]
        first_direct = self.curl_speed(direct_tf)[1]
        first_proxy = self.curl_speed(direct_via_proxy)[1]
        first_wharf = self.curl_speed(tf_url)[1]
        self.row("2", "provider zip %d MB, first download (streamed from the registry, fills the cache)" % a.big_provider_mb,
                 "%.0f MB/s" % (first_wharf / MB), "nginx proxy_pass %.0f MB/s; direct %.0f MB/s" % (first_proxy / MB, first_direct / MB),
                 "%.2f" % (first_wharf / first_proxy if first_proxy else 0))
        figure_proxy.streamed_download(self, proxy.pid, direct_tf, direct_via_proxy, self.streaming.url + "/v1/files/providers/bench/big/" + zip_name,
                                       self.big_provider_zip, a.big_provider_mb)
        self.stop(self.streaming)
        self.stop(proxy)
        for label, url, digest in (("provider via Wharf", tf_url, tf_digest), ("package via Wharf", epr_url, pkg_digest)):
            got = "sha256:" + self.sha_of(url)
            if got != digest:
                raise RuntimeError("%s: downloaded %s, expected %s" % (label, got, digest))
        for label, w_url, d_url, size in (("provider zip (from --download-cache-dir)", tf_url, direct_tf, a.big_provider_mb),
                                          ("package zip (from -oci-cache-dir)", epr_url, direct_pkg, a.big_package_mb)):
            self.warm_downloads("%s %d MB" % (label, size), [("Wharf", w_url), ("direct", d_url)])
            w, d = [], []
            for _ in range(a.download_runs):
                d.append(self.curl_speed(d_url)[1])
                w.append(self.curl_speed(w_url)[1])
            wm, dm = statistics.median(w), statistics.median(d)
            ratio = wm / dm if dm else 0
            self.row("2", "%s %d MB, median of %d" % (label, size, a.download_runs), "%.0f MB/s" % (wm / MB),
                     "direct %.0f MB/s" % (dm / MB), "%.2f" % ratio, "≥ 0.80", ratio >= 0.8)
            self.pinned_downloads(label, size, w_url, d_url, tf if w_url == tf_url else epr)
        for label, p, gc in (("boring-registry", tf, gc_tf), ("package-registry", epr, gc_epr)):
            info = subprocess.run(["jcmd", str(p.pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout \
                if shutil.which("jcmd") else ""
            with open(os.path.join(self.work, "heap-info-%s.txt" % label), "w") as f:
                f.write(info)
            peak_used, max_committed = gc_peak(gc)
            alive = p.poll() is None
            oom = "OutOfMemoryError" in self.log_tail(p.bench_name, 2000)
            ok = alive and not oom and peak_used <= 64 and max_committed <= 64
            self.row("2", "%s -Xmx64m heap: peak used before GC / committed" % label,
                     "%d MB / %d MB" % (peak_used, max_committed), "", "", "≤ 64 MB", ok)
            if info:
                first = [l.strip() for l in info.splitlines() if "total" in l][:1]
                if first:
                    self.notes.append("figure 2 %s jcmd GC.heap_info after the downloads: %s" % (label, first[0]))
        self.stop(tf)
        self.stop(epr)

    # ------------------------------------------------------------ figure 3, scale
    def figure3_scale(self):
        flags = self.jvm_flags()
        ttl = 5.0
        tf = self.start_boring("wharf-terraform-scale", flags, ttl="5s")
        self.wait_until("boring-registry (scale)", lambda: http_get(tf.url + "/.well-known/terraform.json", 5)[0] == 200, 120, tf)
        upload_base = self.java(flags) + ["boring-registry", "upload", "provider", "--storage-oci-registry", self.reg,
                                          "--storage-oci-insecure", "--storage-oci-repository", seed.TF_BASE, "--namespace", "bench"]
        for n in self.a.scales:
            versions = self.scale_versions(n)
            url = tf.url + "/v1/providers/bench/scale%d/versions" % n

            def measure(expected):
                mark = self.access_log_mark()
                t = time.monotonic()
                s, body = http_get(url, 120)
                dt = time.monotonic() - t
                if s != 200 or len(json.loads(body)["versions"]) != expected:
                    raise RuntimeError("%s: %s %s" % (url, s, body[:200]))
                return dt, self.requests_since(mark)

            cold_t, cold_n = measure(versions)
            warm_t, warm_n = measure(versions)
            release = os.path.join(self.work, "release-scale%d" % n)
            sums = seed.release_files(release, self.gpg, "scale%d" % n, "99.0.0", self.scale_zip)  # above every seeded version
            mark = self.access_log_mark()
            up = subprocess.run(upload_base + ["--filename-sha256sums", sums], capture_output=True, text=True, timeout=300, cwd=self.work)
            if up.returncode != 0:
                raise RuntimeError("upload provider failed: " + up.stderr[-2000:])
            push_n = self.requests_since(mark)
            time.sleep(ttl + 0.2)
            after_t, after_n = measure(versions + 1)
            tags = versions * 6
            self.row("3", "provider versions, %d tags: cold (time, registry requests)" % tags, "%.0f ms, %s" % (cold_t * 1000, cold_n))
            self.row("3", "provider versions, %d tags: warm (within --cache-tags-ttl)" % tags, "%.1f ms, %s" % (warm_t * 1000, warm_n))
            self.row("3", "provider versions, %d tags: after 1 upload (%s) + ttl expiry" % (tags + 6, push_n),
                     "%.0f ms, %s" % (after_t * 1000, after_n))
        self.stop(tf)

        for n in self.a.epr_scales:
            repo = "scale-epr-%d" % n
            cache = os.path.join(self.work, "epr-cache-" + repo)
            expected = max(n // 10, 1) * min(n, 10)

            def dry_run(label):
                mark = self.access_log_mark()
                t = time.monotonic()
                p = self.start_epr("wharf-epr-dryrun-%d" % n, flags, repo, cache, extra=["-dry-run"])
                try:
                    rc = p.wait(timeout=600)
                except subprocess.TimeoutExpired:
                    p.kill()
                    raise
                dt = time.monotonic() - t
                self.procs.remove(p)
                if rc != 0:
                    raise RuntimeError("package-registry -dry-run failed (%s):\n%s" % (rc, self.log_tail(p.bench_name)))
                return dt, self.requests_since(mark)

            cold_t, cold_n = dry_run("cold")
            name = "s%d_pkg0" % n
            zip_path = seed.package_zip(os.path.join(self.work, "%s-99.0.0.zip" % name), name, "99.0.0", 2048)
            mark = self.access_log_mark()
            push = subprocess.run(self.java(flags) + ["package-registry", "push", "-oci-registry", self.reg, "-oci-insecure",
                                                     "-oci-repository", repo, zip_path],
                                  capture_output=True, text=True, timeout=300, cwd=self.work)
            if push.returncode != 0:
                raise RuntimeError("package-registry push failed: " + (push.stderr + push.stdout)[-2000:])
            push_n = self.requests_since(mark)
            again_t, again_n = dry_run("after push")
            self.row("3", "EPR index %d versions from scratch (-dry-run incl. JVM start)" % expected,
                     "%.2f s, %s" % (cold_t, cold_n))
            self.row("3", "EPR index %d versions after 1 push (%s), persisted cache" % (expected + 1, push_n),
                     "%.2f s, %s" % (again_t, again_n))

    def figure_flat(self):
        """Module versions for the same module, nested (its own repository) and flat (one repository of --flat-tags tags)."""
        flags = self.jvm_flags()
        versions = self.a.flat_versions
        for layout, repository, extra in (("nested", seed.TF_BASE, ()), ("flat", seed.FLAT_BASE, ("--storage-oci-flat",))):
            tf = self.start_boring("wharf-terraform-" + layout, flags, ttl="5s", repository=repository, extra=extra)
            self.wait_until("boring-registry (%s)" % layout, lambda: http_get(tf.url + "/.well-known/terraform.json", 5)[0] == 200, 120, tf)
            url = tf.url + "/v1/modules/bench/flatmod/aws/versions"

            def measure():
                mark = self.access_log_mark()
                t = time.monotonic()
                s, body = http_get(url, 120)
                dt = time.monotonic() - t
                if s != 200 or len(json.loads(body)["modules"][0]["versions"]) != versions:
                    raise RuntimeError("%s: %s %s" % (url, s, body[:200]))
                return dt, self.requests_since(mark)

            cold_t, cold_n = measure()
            warm_t, warm_n = measure()
            time.sleep(5.2)
            expired_t, expired_n = measure()
            tags = versions if layout == "nested" else max(self.a.flat_tags, versions)
            what = "module versions (%d), %s layout, %d tags in the repository" % (versions, layout, tags)
            self.row("flat", what + ": cold (time, registry requests)", "%.0f ms, %s" % (cold_t * 1000, cold_n))
            self.row("flat", what + ": warm (within --cache-tags-ttl)", "%.1f ms, %s" % (warm_t * 1000, warm_n))
            self.row("flat", what + ": after --cache-tags-ttl expiry", "%.0f ms, %s" % (expired_t * 1000, expired_n))
            self.stop(tf)

    # ------------------------------------------------------------ replicas
    def start_balancer(self, ports, name):
        """nginx as a round-robin balancer over boring-registry replicas on 127.0.0.1 (keep-alive to them)."""
        port = free_port()
        prefix = os.path.join(self.work, name)
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        conf = os.path.join(prefix, "nginx.conf")
        user = "user root;\n" if os.geteuid() == 0 else ""
        servers = "".join("    server 127.0.0.1:%d max_fails=0;\n" % p for p in ports)
        with open(conf, "w") as f:
            f.write(user + """worker_processes auto;
pid %(p)s/nginx.pid;
error_log %(p)s/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path %(p)s/client_body;
  proxy_temp_path %(p)s/proxy;
  fastcgi_temp_path %(p)s/fastcgi;
  uwsgi_temp_path %(p)s/uwsgi;
  scgi_temp_path %(p)s/scgi;
  upstream replicas {
%(servers)s    keepalive 64;
  }
  server {
    listen 127.0.0.1:%(port)d;
    location / {
      proxy_pass http://replicas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
    }
  }
}
""" % {"p": prefix, "port": port, "servers": servers})
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        proc = self.start(name, [nginx, "-p", prefix, "-c", conf, "-g", "daemon off;"])
        proc.url = "http://127.0.0.1:%d" % port
        self.wait_until(name, lambda: http_get(proc.url + "/.well-known/terraform.json", 2)[0] == 200, 20, proc)
        return proc

    def figure_replicas(self):
        """Aggregate req/s through nginx with 1, 2, 3 replicas; CPU and RSS per replica; staleness after a publish."""
        a = self.a
        flags = self.jvm_flags()
        ttl = 2.0
        replicas = [self.start_boring("wharf-replica-%d" % i, flags, ttl="%ds" % ttl,
                                      extra=("--signed-url-key", "bench-replicas-shared-key")) for i in range(3)]
        path = "/v1/modules/bench/mod0/aws/versions"
        for r in replicas:
            self.wait_until("replica %s" % r.bench_name, lambda: http_get(r.url + path, 5)[0] == 200, 120, r)
        for n in (1, 2, 3):
            used = replicas[:n]
            lb = self.start_balancer([int(r.url.rsplit(":", 1)[1]) for r in used], "nginx-replicas-%d" % n)
            url = lb.url + path
            if a.warmup > 0:
                self.wrk(url, a.warmup)
            cpu0 = [cpu_seconds(r.pid) for r in used]
            rps, p99, bad, errors = self.wrk(url, a.duration)
            cpu = [cpu_seconds(r.pid) - c for r, c in zip(used, cpu0)]
            rss = [rss_kb(r.pid) / 1024 for r in used]
            total = rps * max(1, int(round(a.duration)))
            self.row("replicas", "module versions through nginx, %d replica%s" % (n, "" if n == 1 else "s"),
                     "%.0f req/s, p99 %.2f ms, non-2xx %d%s" % (rps, p99, bad, (", " + errors) if errors else ""),
                     "CPU per replica %s s (%.0f µs/request), RSS %s MB" % (
                         "/".join("%.1f" % c for c in cpu), sum(cpu) / total * 1e6 if total else 0,
                         "/".join("%.0f" % m for m in rss)))
            if bad or errors:
                self.notes.append("figure replicas, %d replicas: non-2xx %d %s" % (n, bad, errors))
            self.stop(lb)
        # Staleness: a version pushed straight into the registry (as the CLI does, tag last), polled on every replica.
        repo = "%s/modules/bench/mod0/aws" % seed.TF_BASE
        version = "9.9.%d" % int(time.time())
        pushed = time.monotonic()
        self.reg_client.push_artifact(repo, "bench-mod0-aws-%s" % version, "application/vnd.wharf.terraform.module.v1",
                                      [("application/vnd.wharf.terraform.module.layer.v1.tar+gzip", "bench-mod0-aws-%s.tar.gz" % version,
                                        seed.module_tgz("mod0", version), None)], {"org.opencontainers.image.version": version})
        pushed_done = time.monotonic()
        seen = {}
        while len(seen) < len(replicas) and time.monotonic() - pushed < 60:
            for r in replicas:
                if r.bench_name not in seen:
                    s, body = http_get(r.url + path, 5)
                    if s == 200 and version.encode() in body:
                        seen[r.bench_name] = time.monotonic() - pushed_done
            time.sleep(0.02)
        if len(seen) < len(replicas):
            raise RuntimeError("replicas never listed the pushed version: %s" % seen)
        self.row("replicas", "staleness after a publish (--cache-tags-ttl %.0f s), per replica" % ttl,
                 "/".join("%.0f ms" % (seen[r.bench_name] * 1000) for r in replicas), "bound %.0f ms" % (ttl * 1000),
                 "", "≤ ttl + 0.5 s", max(seen.values()) <= ttl + 0.5)
        for r in replicas:
            self.stop(r)

    # ------------------------------------------------------------ report
    def report(self):
        header = "| fig | measure | Wharf | baseline | ratio | target | met |\n|---|---|---|---|---|---|---|\n"
        table = header + "".join("| %s |\n" % " | ".join(str(c) for c in r) for r in self.rows)
        return table


BEGIN, END = "<!-- bench/run results: begin -->", "<!-- bench/run results: end -->"


def write_results(path, generated):
    """Replaces the generated block of an existing file, keeping what people wrote around it."""
    block = BEGIN + "\n" + generated + "\n" + END + "\n"
    text = block
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        if BEGIN in old and END in old:
            text = old[:old.index(BEGIN)] + block + old[old.index(END) + len(END) + 1:]
    with open(path + ".part", "w") as f:
        f.write(text)
    os.replace(path + ".part", path)


def gc_peak(path):
    """(largest heap used before a GC, largest committed heap) in MB from a -Xlog:gc* file."""
    peak, committed = 0, 0
    if not os.path.exists(path):
        return 0, 0
    with open(path, errors="replace") as f:
        for line in f:
            for m in re.finditer(r"(\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\)", line):
                conv = lambda v, u: int(v) / {"K": 1024, "M": 1, "G": 1 / 1024}[u]
                peak = max(peak, conv(m.group(1), m.group(2)))
                committed = max(committed, conv(m.group(5), m.group(6)))
    return round(peak), round(committed)


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return "%.0f MB" % (total / MB)


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = "%.1f GB" % (int(line.split()[1]) / 1024 / 1024)
    return os.cpu_count(), mem, model


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main(argv):
    a = parse_args(argv)
    b = Bench(a)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    jdk = subprocess.run([a.java, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    load_before = loadavg()
    started = datetime.datetime.now(datetime.timezone.utc)
    status = 0
    error = None
    try:
        print("work directory %s" % b.work, flush=True)
        b.start_registry()
        b.seed()
        if "1" in a.figures:
            print("figure 1, 3 (cold start), 4", flush=True)
            b.figure1()
        if "2" in a.figures:
            print("figure 2", flush=True)
            b.figure2()
        if "3" in a.figures:
            print("figure 3 (scale)", flush=True)
            b.figure3_scale()
        if "flat" in a.figures:
            print("figure flat (flat vs nested layout)", flush=True)
            b.figure_flat()
        if "replicas" in a.figures:
            print("figure replicas (1, 2, 3 boring-registry replicas behind nginx)", flush=True)
            b.figure_replicas()
        if "publish" in a.figures:
            print("figure publish (over HTTP vs direct upload)", flush=True)
            figure_publish.run(b)
        if "jvm" in a.figures:
            print("figure jvm (collectors and heap settings side by side)", flush=True)
            import figure_jvm
            figure_jvm.run(b)
        if "image" in a.figures:
            print("figure image (container image size, start, RSS)", flush=True)
            import figure_image
            figure_image.run(b)
    except BaseException as e:  # noqa: B902 - report whatever stopped the run, then clean up
        error = "%s: %s" % (type(e).__name__, e)
        status = 1
    finally:
        b.stop_all()
        if getattr(b, "gpg", None):
            b.gpg.close()
    load_after = loadavg()
    nproc, mem, model = machine()
    table = b.report()
    if status == 0 and b.missed:
        status = 2
    verdict = ("harness FAILED: " + error) if error else ("targets missed: " + "; ".join(b.missed) if b.missed else "all targets met")
    text = ["# Wharf benchmark results", "",
            "- date: %s (%.0f s)" % (started.strftime("%Y-%m-%d %H:%M UTC"), time.monotonic() - b.t_start),
            "- machine: %d cores, %s RAM, %s; load average before %s, after %s" % (nproc, mem, model, load_before, load_after),
            "- JDK: %s" % " / ".join(jdk),
            "- figures run: %s" % ", ".join(sorted(a.figures)),
            "- mode: %s; wrk -t%d -c%d, %.0f s per measurement after %.0f s warm-up (figure 1: each server's share in %d run%s, "
            "taking turns); Wharf JVM flags: `%s`, %s" % (
                "smoke" if a.smoke else "full", a.threads, a.connections, a.duration, a.warmup, a.rounds, "" if a.rounds == 1 else "s",
                a.jvm_flags or "(none)",
                "java -jar" if a.no_launcher or a.classpath else "through bin/'s launchers (their defaults, then these)"),
            "- data: %d modules x %d versions, %d providers x %d versions x 4 platforms (%d KB zips), %d EPR package versions "
            "(%d packages, %d KB screenshots), figure 2: %d MB provider zip, %d MB package zip; seeding took %.0f s" % (
                a.modules, a.module_versions, a.providers, a.provider_versions, a.provider_zip_kb, a.package_names * a.package_versions,
                a.package_names, a.image_kb, a.big_provider_mb, a.big_package_mb, getattr(b, "seed_seconds", 0)),
            "- verdict: %s" % verdict, "", table]
    if b.notes:
        text += ["Notes:", ""] + ["- " + n for n in b.notes] + [""]
    out = "\n".join(text)
    print()
    print(out)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    write_results(a.out, out)
    print("written to %s" % a.out)
    if a.keep or status == 1:
        print("work directory kept: %s" % b.work)
    else:
        shutil.rmtree(b.work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
