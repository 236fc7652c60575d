"""Flask's JSON response, typed as what it is."""

from typing import cast

from flask import Response, current_app


def json_response(value: object) -> Response:
    """``current_app.json.response(value)``, the app's ``response_class`` holding the JSON."""
    # Flask annotates it with werkzeug's sansio base, but it makes app.response_class.
    return cast(Response, current_app.json.response(value))
