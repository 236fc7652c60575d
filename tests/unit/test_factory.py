"""create_app wires settings, knowledge base, engine and API into one app per process."""

import pytest

from service import create_app
from service.advice import Advisor
from service.free_text import ContextParser, LexiconError
from service.knowledge import KnowledgeError
from service.web.intake_parser import IntakeParser


def test_the_factory_builds_a_ready_app_with_its_own_advisor():
    app = create_app({"TESTING": True})
    advisor = app.extensions[Advisor]
    assert isinstance(advisor, Advisor) and advisor.ready
    assert app.test_client().get("/readyz").status_code == 200


def test_each_app_gets_its_own_engine():
    first, second = create_app(), create_app()
    assert first.extensions[Advisor].engine is not second.extensions[Advisor].engine


def test_config_given_to_the_factory_overrides_the_defaults():
    app = create_app({"MAX_BODY_BYTES": 1024})
    assert app.config["MAX_BODY_BYTES"] == 1024


def test_the_rules_directory_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RULES_DIR", str(tmp_path))
    with pytest.raises(KnowledgeError, match="meta.yaml"):
        create_app()


def test_the_wsgi_module_exposes_an_app():
    from service.wsgi import app

    assert app.extensions[Advisor].ready


def test_each_app_builds_its_own_parser_from_the_rules_directorys_lexicon(rules_copy):
    app = create_app({"TESTING": True, "RULES_DIR": str(rules_copy)})
    parser = app.extensions[IntakeParser].parser
    assert isinstance(parser, ContextParser)
    assert parser is not create_app({"TESTING": True}).extensions[IntakeParser].parser
    assert app.test_client().get("/readyz").status_code == 200


def test_a_lexicon_that_does_not_fit_the_contract_stops_the_start(rules_copy):
    lexicon = rules_copy / "free_text" / "lexicon.yaml"
    text = lexicon.read_text(encoding="utf-8")
    lexicon.write_text(text.replace("    calf: [", "    calves: [", 1), encoding="utf-8")
    with pytest.raises(LexiconError):
        create_app({"TESTING": True, "RULES_DIR": str(rules_copy)})
