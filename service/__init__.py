"""The leg-cramp advice service. ``create_app`` is the one place that wires its parts together.

The packages form layers, each importing only those below it (``lint-imports`` checks this in
``make test``; the contract is in pyproject.toml):

* entry points, none importing another: ``api`` (``/v1/advice``, ``/v1/knowledge-base``,
  ``/openapi.yaml``), ``probes`` (``/healthz``, ``/readyz``, ``/metrics``), ``fhir``
  (``/v1/fhir/...``), ``cds`` (``/cds-services``), ``pages`` (``/`` and ``/docs``), and
  ``server`` (gunicorn's worker class);
* ``http``, what every entry point shares: problem documents, body parsing, the request and
  response schemas, security headers, API keys, CORS, the request log line and metrics;
* the domain, which knows nothing of HTTP: ``advice`` (the advisor), then ``engine`` (the only
  module that touches durable-rules) and ``knowledge`` (the rules files), then ``vocabulary``.
"""

from flask import Flask

from service.config import defaults, public_base_url


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app: settings, the knowledge base and engine of this process, the routes.

    The knowledge base is loaded, validated and compiled here, so a broken rules file stops the
    start with a message naming the file and the rule. Each gunicorn worker calls this (no
    ``--preload``), which gives every process its own rule engine, as durable-rules needs.
    ``ENGINE_FACTORY`` (a class like ``service.engine.RuleEngine``) gives the advisor another
    engine: the fault tests inject one that fails on purpose.
    """
    # Imported here, not at the top: gunicorn's master imports service.server (the worker class)
    # and so this package before gunicorn.conf.py's on_starting has chosen the metrics
    # directory, and prometheus_client (under service.http) fixes its mode at its first import.
    # Logging first: importing the metrics may already log (metrics files that cannot be made).
    from service.web.logs import configure_logging

    configure_logging()
    from service import api, cds, fhir, pages, probes
    from service.advice import Advisor
    from service.engine import RuleEngine
    from service.knowledge import load_knowledge
    from service.web import auth, cors, problems, request_log

    app = Flask(__name__, static_folder=None)  # no /static: each page serves its own files
    app.config.from_mapping(defaults())
    if config:
        app.config.update(config)
    app.config["PUBLIC_BASE_URL"] = public_base_url(app.config)
    app.json.sort_keys = False  # answers keep the contract's order of fields
    # No redirects: merging "//" into "/" made Werkzeug answer 308 with the client's Host in
    # Location. Every route is a plain path, so a doubled slash is simply not found.
    app.url_map.merge_slashes = False

    engine_factory = app.config.get("ENGINE_FACTORY") or RuleEngine
    app.extensions["advisor"] = Advisor(load_knowledge(app.config["RULES_DIR"]), engine_factory)

    # Before-request hooks run in registration order: the clock starts first, a CORS preflight
    # is answered before the API key is asked for (browsers send none on a preflight), and the
    # key is checked before any route reads the body.
    request_log.register(app)
    cors.register(app)
    auth.register(app)
    problems.register(app)
    for entry_point in (api, probes, fhir, cds, pages):
        entry_point.init_app(app)
    return app
