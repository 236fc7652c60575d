"""The leg-cramp advice service: create_app() wires every part together."""

from flask import Flask

from service.config import defaults
from service.logs import configure_logging


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app: settings, the knowledge base and engine of this process, the API.

    The knowledge base is loaded, validated and compiled here, so a broken rules file stops the
    start with a message naming the file and the rule. Each gunicorn worker calls this (no
    ``--preload``), which gives every process its own rule engine, as durable-rules needs.
    """
    configure_logging()
    app = Flask(__name__)
    app.config.from_mapping(defaults())
    if config:
        app.config.update(config)
    app.json.sort_keys = False  # answers keep the contract's order of fields
    # No redirects: merging "//" into "/" made Werkzeug answer 308 with the client's Host in
    # Location. Every route is a plain path, so a doubled slash is simply not found.
    app.url_map.merge_slashes = False

    from service.advice import Advisor
    from service.api import init_app as init_api
    from service.engine import RuleEngine
    from service.knowledge import load_knowledge

    # ENGINE_FACTORY: tests may inject an engine that misbehaves on purpose.
    engine_factory = app.config.get("ENGINE_FACTORY") or RuleEngine
    app.extensions["advisor"] = Advisor(load_knowledge(app.config["RULES_DIR"]), engine_factory)
    init_api(app)
    return app
