"""Fixtures of the unit tests."""

from tests.support.rules_copies import rules_copy  # noqa: F401  (the fixture, for every module)
