"""Gunicorn settings of the service: ``gunicorn --config gunicorn.conf.py service.wsgi:app``.

Read from the environment: ``PORT`` (default 8000), ``WEB_CONCURRENCY`` (workers, default 2),
``GUNICORN_WORKER_CLASS`` (default ``service.server.Worker``, gevent with deadlines),
``GUNICORN_WORKER_CONNECTIONS`` (default 1000), ``GUNICORN_THREADS`` (gthread only),
``PROMETHEUS_MULTIPROC_DIR`` (where the workers keep their metrics; default a fresh directory in
``/dev/shm``, removed at exit) and ``CDS_HOOKS_REPLAY_DIR`` (where they keep the ids of used CDS
client tokens; the same default).
"""

import atexit
import os
import shutil


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
# gevent workers (service/server/): each connection is a greenlet, so a client that sends its
# request slowly, or never reads its answer, costs a few KiB of memory, not a thread. With
# threads (gthread, 8 per worker) 16-24 such clients, or a body cut short of its
# Content-Length, stopped /healthz from answering. service.server.Worker adds deadlines: the
# head within `keepalive` seconds, the body and the work within 10 s (else 408), a send within
# 15 s; tests/security/test_slow_clients.py holds 64 slow clients of every kind against it.
# The evaluation itself never yields, so the engine stays serialised as before.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "service.server.Worker")
# Open connections per worker (gevent); beyond them a worker stops accepting until one closes.
worker_connections = _int_env("GUNICORN_WORKER_CONNECTIONS", 1000)
# Only for GUNICORN_WORKER_CLASS=gthread: threads per worker.
threads = _int_env("GUNICORN_THREADS", 8)

# No preload_app, on purpose: every worker imports service.wsgi itself, which calls create_app()
# and builds its own rule engine (durable-rules' C state is per process), after gevent has
# patched the worker.
preload_app = False

# --- Time limits --------------------------------------------------------------------------------
# The engine needs under a millisecond per evaluation; a worker silent for 30 s is stuck, and the
# arbiter replaces it.
timeout = 30
# On SIGTERM (a deploy, `docker stop`) in-flight requests get up to 30 s to finish: far longer
# than any request takes, and no longer than Kubernetes' default grace period before SIGKILL
# (`docker stop` waits 10 s unless given `--time`).
graceful_timeout = 30
# Idle keep-alive connections stay open 5 s: long enough for a client or a load balancer to
# reuse one, short enough not to pin connections to a worker. With gevent it is also the time a
# request head has to arrive in, from the connection or the previous answer on.
keepalive = 5
# Recycle each worker after about 10,000 requests, jittered by up to 1,000 so the workers do not
# restart together: a cheap guard against slow leaks in the C extension. A restarting worker
# rebuilds its engine while the other workers keep serving.
max_requests = 10000
max_requests_jitter = 1000

# --- Proxies ------------------------------------------------------------------------------------
# X-Forwarded-Proto and its kin are trusted only from the proxies named in FORWARDED_ALLOW_IPS
# (addresses or networks, comma-separated): by default from none, where gunicorn would trust
# any local address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")

# --- Request limits -----------------------------------------------------------------------------
# The longest URL a client needs is a FHIR search by a canonical URL or two (?url=...): 2 KiB is
# ample (longer gets 414).
limit_request_line = 2048
# Clients and proxies send a few dozen headers at most; 50 leaves room for forwarding headers.
limit_request_fields = 50
# 8 KiB per header: enough for a gateway's bearer token; nothing longer is legitimate here.
limit_request_field_size = 8190
# The 64 KiB body limit is the application's (Flask MAX_CONTENT_LENGTH, answered with 413).

# --- Logs ---------------------------------------------------------------------------------------
# No gunicorn access log: the service writes one JSON line per request to stdout itself
# (service/web/request_log.py), with the route, status, duration, request id, urgency and
# worker pid; a second, differently formatted line per request would only double the volume.
# gunicorn's own lines (start-up, workers, errors) go to stderr as JSON lines, in the same form
# as the service's other lines (service/web/logs.py): every line either stream carries is one
# JSON object.
accesslog = None
# gunicorn's own logger, which builds no access line that nothing would write
# (service/server/logger.py).
logger_class = "service.server.Logger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO", "handlers": []},
    "formatters": {"json": {"()": "service.web.logs.JsonLines"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json",
                   "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
        # gunicorn.access is left as gunicorn sets it: no handler unless --access-logfile gives
        # one (this config is applied after it, and would take that handler away).
    },
}
# Should an operator turn the access log back on (--access-logfile -), it still says only this:
# time, method, path WITHOUT query string, status, duration, request id and worker pid. Never
# the query string, the body or other headers: a profile is health data.
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

# --- Hooks --------------------------------------------------------------------------------------
# Each hook calls the module that does the work. In the master, on_starting runs before any worker
# is forked: it checks what no worker could start with, and makes the directories every worker
# shares (PROMETHEUS_MULTIPROC_DIR for the metrics, CDS_HOOKS_REPLAY_DIR for the used CDS token
# ids), in RAM unless configured; the master removes the ones it made when it exits.
_made_dirs = []


def on_starting(server):
    """Check the knowledge base and the settings; make the metrics and replay directories."""
    from service.cds import auth, replay
    from service.config import ConfigurationError, defaults, public_base_url
    from service.knowledge import KnowledgeError, load_knowledge
    from service.web import metrics_files

    settings = defaults()
    try:  # before anything is made: a start that cannot succeed stops here
        load_knowledge(settings["RULES_DIR"])
    except KnowledgeError as error:
        _refuse(server, error)
    _at_master_exit(on_exit, server)
    ram = _SHM if os.access(_SHM, os.W_OK) else None
    for maker, what in ((metrics_files.make_directory, "Metrics of the workers"),
                        (replay.make_directory, "Used CDS token ids of the workers")):
        path, made = maker(ram)
        if made:
            _made_dirs.append(path)
        server.log.info("%s in %s", what, path)
    try:
        settings["PUBLIC_BASE_URL"] = public_base_url(settings)
        if str(settings["CDS_HOOKS_AUTH"]).lower() != "off":
            auth.checked_clients(settings)
    except ConfigurationError as error:
        _refuse(server, error)


def _refuse(server, error):
    """One line naming the path or setting and the cause, and gunicorn's exit status for a
    configuration error (1); each worker left to fail alone wrote a traceback instead."""
    server.log.error("Cannot start: %s", error)
    raise SystemExit(1) from None


def _at_master_exit(hook, server):
    """Run ``hook(server)`` when the master exits, however it exits (gunicorn calls on_exit
    only after a normal stop; the workers inherit the registration, and do nothing with it)."""
    master = os.getpid()
    atexit.register(lambda: os.getpid() == master and hook(server))


def child_exit(server, worker):
    """Fold an exited worker's metrics into the archive files; a failure is logged, never
    raised, since it would stop the master (a full file system leaves its files, still
    counted)."""
    try:
        from service.web.metrics_fold import fold_exited_worker

        fold_exited_worker(os.environ["PROMETHEUS_MULTIPROC_DIR"], worker.pid)
    except OSError as error:
        server.log.warning("Could not fold the metrics files of worker %s (%s): they stay, "
                           "and still count", worker.pid, error.strerror)
    except Exception:
        server.log.exception("Could not fold the metrics of worker %s", worker.pid)


def on_exit(server):
    """Remove the directories this server made for itself."""
    for path in _made_dirs:
        shutil.rmtree(path, ignore_errors=True)


def post_worker_init(worker):
    """Say when a worker has loaded the application (its own knowledge base and engine)."""
    worker.log.info("Worker ready (pid: %s): application loaded", worker.pid)


def worker_exit(server, worker):
    """Log the worker's engine counters as it exits: a leaked session would show here."""
    from service.advice import Advisor

    app = getattr(worker, "wsgi", None)
    app = getattr(app, "__wrapped__", app)  # service.server.Worker wraps it in a deadline
    advisor = app is not None and app.extensions.get(Advisor)
    if advisor:
        stats = advisor.engine_stats()
        server.log.info(
            "Engine stats (pid: %s): evaluations=%d open_sessions=%d",
            worker.pid, stats["evaluations"], stats["open_sessions"],
        )
