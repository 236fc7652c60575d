"""Gunicorn settings of the service: ``gunicorn --config gunicorn.conf.py service.wsgi:app``.

Read from the environment: ``PORT`` (default 8000), ``WEB_CONCURRENCY`` (workers, default 2),
``GUNICORN_WORKER_CLASS`` (default ``gthread``) and ``GUNICORN_THREADS`` (default 8).
"""

import os


def _int_env(name: str, default: int) -> int:
    """An integer from the environment, or a start-up error that names the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None
    if value < 1:
        raise SystemExit(f"{name} must be at least 1, got {value}")
    return value


# --- Where and how many -------------------------------------------------------------------------
bind = f"0.0.0.0:{_int_env('PORT', 8000)}"
workers = _int_env("WEB_CONCURRENCY", 2)
# Threaded workers: a client that sends its request slowly ties up one thread, not the whole
# process, as a sync worker would with no buffering proxy in front. The evaluation itself is
# CPU-bound and serialised by the engine's lock, so a few threads suffice. Measured here with
# wrk (2 workers, 8 connections): advice 1,070 req/s with gthread x 4 against 887 with sync;
# /healthz about 3,200 req/s with either.
# 8 threads, not 4: gthread has no deadline for reading a request, so a client that dribbles its
# headers or body (or goes silent halfway) holds a thread for as long as it likes, and a worker
# whose threads are all held still accepts connections, which then wait. With 4 threads, four
# slow clients that happened to land on one worker stalled every request it accepted
# (tests/security/test_slow_clients.py); with 8, fewer than 8 per worker cannot. Throughput is
# the same within noise (the engine's lock serialises evaluations). The real defence against
# many slow clients is a buffering proxy in front (see README, Security).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int_env("GUNICORN_THREADS", 8)

# No preload_app, on purpose: durable-rules' Host starts timer threads that do not survive fork(),
# so every worker imports service.wsgi itself, which calls create_app() and builds its own engine.
preload_app = False

# --- Time limits --------------------------------------------------------------------------------
# The engine needs under a millisecond per evaluation; a worker silent for 30 s is stuck, and the
# arbiter replaces it.
timeout = 30
# On SIGTERM (a deploy, `docker stop`) in-flight requests get up to 30 s to finish: far longer
# than any request takes, and no longer than Kubernetes' default grace period before SIGKILL
# (`docker stop` waits 10 s unless given `--time`).
graceful_timeout = 30
# Idle keep-alive connections (used by non-sync worker classes) stay open 5 s: long enough for a
# client or a load balancer to reuse one, short enough not to pin connections to a worker.
keepalive = 5
# Recycle each worker after about 10,000 requests, jittered by up to 1,000 so the workers do not
# restart together: a cheap guard against slow leaks in the C extension. A restarting worker
# rebuilds its engine while the other workers keep serving.
max_requests = 10000
max_requests_jitter = 1000

# --- Request limits -----------------------------------------------------------------------------
# The API's longest URL is a short path with no query string: 2 KiB is ample (longer gets 414).
limit_request_line = 2048
# Clients and proxies send a few dozen headers at most; 50 leaves room for forwarding headers.
limit_request_fields = 50
# 8 KiB per header: enough for a gateway's bearer token; nothing longer is legitimate here.
limit_request_field_size = 8190
# The 64 KiB body limit is the application's (Flask MAX_CONTENT_LENGTH, answered with 413).

# --- Logs ---------------------------------------------------------------------------------------
# Access log to stdout, error log to stderr: the container runtime collects both.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Time, method, path WITHOUT query string, status, duration, request id and worker pid. Never the
# query string, the body or other headers: a profile is health data and must not reach the logs.
access_log_format = (
    '%(t)s method=%(m)s path="%(U)s" status=%(s)s duration_ms=%(M)s '
    'request_id="%({x-request-id}o)s" worker=%(p)s'
)

# --- Container friendliness ---------------------------------------------------------------------
# The worker heartbeat file lives in RAM: with a read-only root file system (docker run
# --read-only) there is no writable /tmp, and a disk-backed heartbeat can stall workers.
# Gunicorn creates its heartbeat files there with mkstemp (unique names, mode 0600).
_SHM = "/dev/shm"  # noqa: S108  # nosec B108
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM
# Gunicorn >= 25.1 opens a control socket under $HOME by default: the home of the container user
# is read-only, and two local instances would fight over the same path. It is not needed here.
control_socket_disable = True


def post_worker_init(worker):
    """Say when a worker has loaded the application (its own knowledge base and engine)."""
    worker.log.info("Worker ready (pid: %s): application loaded", worker.pid)


def worker_exit(server, worker):
    """Log the worker's engine counters as it exits: a leaked session would show here."""
    advisor = getattr(worker, "wsgi", None) and worker.wsgi.extensions.get("advisor")
    if advisor:
        stats = advisor.engine_stats()
        server.log.info(
            "Engine stats (pid: %s): evaluations=%d open_sessions=%d",
            worker.pid, stats["evaluations"], stats["open_sessions"],
        )
