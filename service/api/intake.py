"""``POST /v1/intake/parse``: a person's own words in, a draft profile out; never advice.

The body is read exactly as ``/v1/advice`` reads its own (service/web/body.py: bounded, strict
JSON, UTF-8), then its one field is checked (service/contract/intake.py) and handed to this
worker's parser, which ``create_app`` built at start-up. The text goes nowhere else: not into
the request's log line (service/web/request_log.py logs ids, route, status and timing only),
not into an error message, not into any cache.
"""

from flask import Blueprint, Response

from service.contract.intake import draft_json, load_intake_text
from service.web import intake_parser
from service.web.body import read_json_body
from service.web.responses import json_response

PATH = "/v1/intake/parse"
bp = Blueprint("intake_parse", __name__)


# OPTIONS is answered before any view (service/web/cors.py); listed so a 405 says it is allowed.
@bp.route(PATH, methods=["POST", "OPTIONS"])
def parse() -> Response:
    """The draft the text makes, for the person to confirm before asking for advice."""
    text = load_intake_text(read_json_body())
    return json_response(draft_json(intake_parser.parser().parse(text)))
