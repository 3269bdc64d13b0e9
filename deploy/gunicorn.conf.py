"""gunicorn settings for Matchmaker: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app`` (``make serve`` does).

Every number can be changed from the environment without editing this file:

    MATCHMAKER_BIND                  127.0.0.1:8000 (``make serve``: 127.0.0.1:5000)
    MATCHMAKER_WORKERS               one per CPU core this process may use
    MATCHMAKER_THREADS               4 per worker
    MATCHMAKER_TIMEOUT               60 seconds
    MATCHMAKER_FORWARDED_ALLOW_IPS   127.0.0.1,::1 (the proxy's address, whose X-Forwarded-Proto to trust)

Why these defaults:

- Processes, one per core, for the Python work (templates, fusion); threads
  inside each for the waits (database, index files) and for the encoders and
  numpy, which release the GIL while they compute.
- No ``preload_app``: each worker creates the app after the fork and loads its
  models in a background thread (``MATCHMAKER_WARM_UP``), so a worker answers
  word-based searches at once and ``/health`` says when it is ready. Preloading
  would load the models in the master, where the warm-up thread does not
  survive the fork, and PyTorch's thread pools are not fork-safe.
- Short of memory: ``MATCHMAKER_WORKERS=1 MATCHMAKER_THREADS=8`` keeps one
  copy of the models (1.7 GB in all at 100k profiles instead of 3.3 GB) for
  about a fifth less throughput (bench/README.md, "HTTP search").
- No ``max_requests``: a restarted worker loads its models again (15–25 s of
  word-only search); versions and connections are released by the index
  itself (search/embedded/backend.py), so nothing needs recycling.
"""
import os

import gunicorn.http.wsgi

from search.encoders import available_cores

# No version banner: "Server: gunicorn/23.0.0" tells an attacker which advisories to try.
gunicorn.http.wsgi.SERVER = "Matchmaker"

# Load the models in each worker in the background right after it starts (matchmaker/warmup.py).
os.environ.setdefault("MATCHMAKER_WARM_UP", "1")


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SystemExit(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


bind = os.environ.get("MATCHMAKER_BIND", "127.0.0.1:8000")
workers = _int("MATCHMAKER_WORKERS", available_cores(), 1, 64)
threads = _int("MATCHMAKER_THREADS", 4, 1, 64)
worker_class = "gthread"
timeout = _int("MATCHMAKER_TIMEOUT", 60, 5, 3600)  # a match page embeds a request: seconds, not minutes
graceful_timeout = 30
keepalive = 5
# The worker heartbeat file in memory: a slow disk must not get healthy workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = os.environ.get("MATCHMAKER_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "matchmaker"

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("MATCHMAKER_LOG_LEVEL", "info")
# Client, time, request, status, bytes, and the time taken in microseconds (%(D)s) for latency checks.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'
