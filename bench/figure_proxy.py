"""Figure 2's streamed download against nginx doing the same job: proxy_pass of the same blob from the same
docker-registry, measured in the same run, with the ceiling that verification puts on any proxy beside it.

nginx forwards bytes; Wharf also hashes every byte with SHA-256 before it lets the last one go. One stream's
hash cannot be split across cores, so the JVM's SHA-256 rate on one core (bench/Sha256Rate.java, over the
same file from the page cache) bounds Wharf's rate from above, whatever else the machine does.
"""
import os
import resource
import shutil
import statistics
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def start_nginx_proxy(bench, registry):
    """nginx proxy_pass to docker-registry (keep-alive upstream, buffering as nginx ships it); returns its base URL."""
    port = bench_free_port()
    prefix = os.path.join(bench.work, "nginx-proxy")
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
  upstream registry {
    server %(registry)s;
    keepalive 8;
  }
  server {
    listen 127.0.0.1:%(port)d;
    location / {
      proxy_pass http://registry;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
""" % {"p": prefix, "port": port, "registry": registry})
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = bench.start("nginx-proxy", [nginx, "-p", prefix, "-c", conf, "-g", "daemon off;"])
    proc.url = "http://127.0.0.1:%d" % port
    bench.wait_until("nginx proxy_pass", lambda: bench_http_get(proc.url + "/v2/", 2)[0] == 200, 20, proc)
    return proc


def sha256_rate(bench, path, runs=7):
    """Best MB/s of SHA-256 over a file in this JVM on one core."""
    out = subprocess.run([bench.a.java, os.path.join(HERE, "Sha256Rate.java"), path, str(runs)],
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError("Sha256Rate failed: " + out.stderr[-2000:])
    return float(out.stdout.split()[-1])


def streamed_download(bench, proxy_pid, direct_url, proxy_url, wharf_url, blob_path, size_mb):
    """Rows: Wharf streaming (no download cache) against nginx proxy_pass, median of --download-runs, interleaved,
    with the CPU every process spent per download; then the two ceilings a verifying proxy cannot pass here:
    SHA-256 on one core, and the machine's cores shared with the registry and the client."""
    from wharfbench import MB  # noqa: E402 (the harness imports this module)
    runs = max(1, bench.a.download_runs)
    bench.warm_downloads("provider zip %d MB streamed from the registry" % size_mb,
                         [("Wharf", wharf_url), ("nginx proxy_pass", proxy_url), ("direct", direct_url)])
    direct, nginx, wharf = [], [], []
    nginx_cpu, wharf_cpu = [], []
    for _ in range(runs):
        direct.append(bench.curl_speed(direct_url)[1] / MB)
        speed, cpu = timed_download(bench, proxy_url, [proxy_pid])
        nginx.append(speed)
        nginx_cpu.append(cpu)
        speed, cpu = timed_download(bench, wharf_url, [bench.streaming.pid])
        wharf.append(speed)
        wharf_cpu.append(cpu)
    w, n, d = statistics.median(wharf), statistics.median(nginx), statistics.median(direct)
    ratio = w / n if n else 0
    wc, nc = median_cpu(wharf_cpu), median_cpu(nginx_cpu)
    bench.row("2", "provider zip %d MB streamed from the registry (no cache, digest verified), median of %d" % (size_mb, runs),
              "%.0f MB/s, %.2f s CPU" % (w, wc["proxy"]),
              "nginx proxy_pass %.0f MB/s, %.2f s CPU; direct %.0f MB/s" % (n, nc["proxy"], d), "%.2f" % ratio,
              "≥ 0.80 × nginx proxy_pass", ratio >= 0.8)
    bench.row("2", "CPU per download: proxy / docker-registry / curl; cores busy (CPU ÷ wall)",
              "Wharf %s" % cpu_text(wc), "nginx %s" % cpu_text(nc), "")
    sha = sha256_rate(bench, blob_path)
    bench.row("2", "ceiling: SHA-256 of the same %d MB on one core, this JVM (Sha256Rate.java)" % size_mb,
              "%.0f MB/s" % sha, "nginx proxy_pass %.0f MB/s" % n, "%.2f" % (sha / n if n else 0))
    # A verifying proxy does at least what nginx does (read from the registry, write to the client) and hashes
    # every byte; the registry and the client cost what they cost in nginx's runs. All of it shares the cores.
    cores = os.cpu_count() or 1
    floor = (nc["proxy"] + nc["registry"] + nc["client"] + size_mb / sha) / cores
    ceiling = size_mb / max(floor, size_mb / sha)
    bench.row("2", "ceiling: any verifying proxy here ((nginx + registry + curl CPU of nginx's runs + SHA-256) ÷ %d cores)" % cores,
              "%.0f MB/s" % ceiling, "nginx proxy_pass %.0f MB/s" % n, "%.2f" % (ceiling / n if n else 0))
    # The same work done one step after the other, as a proxy does that hashes each buffer on the thread that
    # forwards it: nginx's time per byte plus SHA-256's. Above it only hashing beside the forwarding can go.
    inline = 1 / (1 / n + 1 / sha) if n and sha else 0
    bench.row("2", "ceiling: a proxy that hashes on its forwarding thread (nginx's time per MB + SHA-256's, one after the other)",
              "%.0f MB/s" % inline, "nginx proxy_pass %.0f MB/s" % n, "%.2f" % (inline / n if n else 0))
    if ceiling < 0.8 * n:
        bench.notes.append("figure 2: ≥ 0.80 × nginx proxy_pass is out of reach on this machine: a proxy that hashes what it "
                           "forwards can stream at most %.0f MB/s here (%.2f of nginx), from the CPU each process spent in "
                           "nginx's own runs; Wharf reached %.0f MB/s, %.0f %% of that ceiling" % (ceiling, ceiling / n, w, 100 * w / ceiling))
    return ratio


def timed_download(bench, url, proxy_pids):
    """(MB/s, CPU seconds of the proxy, the registry and curl, and the wall time) of one download."""
    from wharfbench import MB, cpu_seconds  # noqa: E402
    registry = bench.registry.pid
    proxy0, registry0, client0, t0 = sum(cpu_tree(pid) for pid in proxy_pids), cpu_seconds(registry), children_cpu(), time.monotonic()
    speed = bench.curl_speed(url)[1] / MB
    return speed, {"proxy": sum(cpu_tree(pid) for pid in proxy_pids) - proxy0, "registry": cpu_seconds(registry) - registry0,
                   "client": children_cpu() - client0, "wall": time.monotonic() - t0}


def children_cpu():
    """CPU seconds of this process's finished children (curl runs as one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_tree(pid):
    """CPU seconds of a process and its children (nginx's master and workers)."""
    from wharfbench import children, cpu_seconds  # noqa: E402
    total = 0.0
    for p in [pid] + children(pid):
        try:
            total += cpu_seconds(p)
        except OSError:
            pass
    return total


def median_cpu(samples):
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def cpu_text(c):
    busy = (c["proxy"] + c["registry"] + c["client"]) / c["wall"] if c["wall"] else 0
    return "%.2f / %.2f / %.2f s; %.1f" % (c["proxy"], c["registry"], c["client"], busy)


def bench_free_port():
    from wharfbench import free_port
    return free_port()


def bench_http_get(url, timeout):
    from wharfbench import http_get
    return http_get(url, timeout)
