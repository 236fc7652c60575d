"""Fixtures of the HTTP seam: every response any API test sees is checked against openapi.yaml."""

import pytest
from flask.testing import FlaskClient

from tests.openapi_check import assert_matches_spec


class ConformanceClient(FlaskClient):
    """A Flask test client that checks every response against openapi.yaml.

    Every API test doubles as a conformance test: a response the spec does not describe fails
    the test that received it, with a message naming the field and value that differ.
    Redirects followed on the way are checked too.
    """

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        for earlier in getattr(response, "history", ()) or ():
            assert_matches_spec(earlier)
        assert_matches_spec(response)
        return response


@pytest.fixture
def client(app):
    """A conformance-checking test client of the one session app."""
    return ConformanceClient(app, app.response_class, use_cookies=True)
