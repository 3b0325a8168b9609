"""Figure 2's streamed download against nginx doing the same job: proxy_pass of the same blob from the same
docker-registry, measured in the same run, with the ceiling that verification puts on any proxy beside it.

nginx forwards bytes; Wharf also hashes every byte with SHA-256 before it lets the last one go. One stream's
hash cannot be split across cores, so the JVM's SHA-256 rate on one core (bench/Sha256Rate.java, over the
same file from the page cache) bounds Wharf's rate from above, whatever else the machine does.
"""
import os
import shutil
import statistics
import subprocess

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


def streamed_download(bench, direct_url, proxy_url, wharf_url, blob_path, size_mb):
    """Rows: Wharf streaming (no download cache) against nginx proxy_pass, median of --download-runs, interleaved,
    with Wharf's CPU per download; then SHA-256 on one core as the bound it cannot pass."""
    from wharfbench import MB, cpu_seconds  # noqa: E402 (the harness imports this module)
    runs = max(1, bench.a.download_runs)
    direct, nginx, wharf, cpu = [], [], [], []
    for _ in range(runs):
        direct.append(bench.curl_speed(direct_url)[1] / MB)
        nginx.append(bench.curl_speed(proxy_url)[1] / MB)
        before = cpu_seconds(bench.streaming.pid)
        wharf.append(bench.curl_speed(wharf_url)[1] / MB)
        cpu.append(cpu_seconds(bench.streaming.pid) - before)
    w, n, d = statistics.median(wharf), statistics.median(nginx), statistics.median(direct)
    ratio = w / n if n else 0
    bench.row("2", "provider zip %d MB streamed from the registry (no cache, digest verified), median of %d" % (size_mb, runs),
              "%.0f MB/s, %.2f s CPU" % (w, statistics.median(cpu)),
              "nginx proxy_pass %.0f MB/s; direct %.0f MB/s" % (n, d), "%.2f" % ratio, "≥ 0.80 × nginx proxy_pass", ratio >= 0.8)
    sha = sha256_rate(bench, blob_path)
    bench.row("2", "ceiling: SHA-256 of the same %d MB on one core, this JVM (Sha256Rate.java)" % size_mb,
              "%.0f MB/s" % sha, "nginx proxy_pass %.0f MB/s" % n, "%.2f" % (sha / n if n else 0))
    return ratio


def bench_free_port():
    from wharfbench import free_port
    return free_port()


def bench_http_get(url, timeout):
    from wharfbench import http_get
    return http_get(url, timeout)
