"""The leg-cramp advice service. ``create_app`` is the one place that wires its parts together.

The packages form layers, each importing only those below it (``lint-imports`` checks this in
``make check`` and ``make test``; the contracts are in pyproject.toml):

* entry points, none importing another: ``api`` (``/v1/advice``, ``/v1/knowledge-base``,
  ``/openapi.yaml``), ``probes`` (``/healthz``, ``/readyz``, ``/metrics``), ``fhir``
  (``/v1/fhir/...``), ``cds`` (``/cds-services`` and the trust of CDS clients), ``pages``
  (``/``, ``/docs``, ``/knowledge-base``) and ``server`` (gunicorn's worker);
* ``web``, the Flask plumbing every entry point shares: problem documents, body reading, API
  keys, CORS, security headers, the request log line, metrics, asking the advisor, the wiring;
* ``interop``, no web framework: the FHIR resources and CDS cards an answer becomes, and the
  FHIR and CDS requests read into a profile;
* the domain, no web framework either: ``advice`` (the advisor), then ``engine`` (the only
  module that touches durable-rules), ``knowledge`` (the rules files) and ``free_text`` (the
  reader of a person's own words, ``POST /v1/intake/parse``);
* ``contract`` (the vocabulary, the request schema, the typed answer) and ``config``.
"""

from pathlib import Path
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from service.config import defaults, public_base_url


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings, the knowledge base and engine of this process, the routes.

    The knowledge base is loaded, validated and compiled here, so a broken rules file stops the
    start with a message naming the file and the rule. Each gunicorn worker calls this (no
    ``--preload``), which gives every process its own rule engine, as durable-rules needs.
    ``ENGINE_FACTORY`` (a class like ``service.engine.RuleEngine``) gives the advisor another
    engine: the fault tests inject one that fails on purpose.

    The free-text parser of ``POST /v1/intake/parse`` is built here too, once per process, from
    the lexicon in ``RULES_DIR/free_text`` (``FREE_TEXT_DIR`` may name another), so a lexicon
    that does not fit the contract stops the start as a broken rules file does.
    ``TEXT_PARSER_FACTORY`` (a callable of that directory answering a
    ``service.contract.free_text.TextParser``; ``service.free_text.build_parser`` unless set)
    builds another: tests inject a fake one, or None for a process without one.
    """
    # Imported here, not at the top, so that importing any module of the package (the contract
    # for a tool, the settings check in gunicorn's master) does not import Flask, every route
    # and the engine's C extension with it.
    from service.web.logs import configure_logging

    configure_logging()
    from service import api, cds, fhir, pages, probes
    from service.advice import Advisor
    from service.engine import RuleEngine
    from service.free_text import build_parser
    from service.knowledge import load_knowledge
    from service.web import auth, cors, intake_parser, problems, request_log, wiring

    app = Flask(__name__, static_folder=None)  # no /static: each page serves its own files
    app.config.from_mapping(defaults())
    if config:
        app.config.update(config)
    app.config["PUBLIC_BASE_URL"] = public_base_url(app.config)
    app.json = json = DefaultJSONProvider(app)  # Flask's default, made here to type its settings
    json.sort_keys = False  # answers keep the contract's order of fields
    # No redirects: merging "//" into "/" made Werkzeug answer 308 with the client's Host in
    # Location. Every route is a plain path, so a doubled slash is simply not found.
    app.url_map.merge_slashes = False

    engine_factory = app.config.get("ENGINE_FACTORY") or RuleEngine
    wiring.provide(app, Advisor, Advisor(load_knowledge(app.config["RULES_DIR"]), engine_factory))
    # Without a parser (TEXT_PARSER_FACTORY None, in a test) /readyz answers 503.
    parser_factory = app.config.get("TEXT_PARSER_FACTORY", build_parser)
    lexicon_dir = Path(app.config.get("FREE_TEXT_DIR")
                       or Path(app.config["RULES_DIR"]) / "free_text")
    intake_parser.provide(app, parser_factory(lexicon_dir) if parser_factory else None)

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
