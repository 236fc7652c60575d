"""Builders that keep tests short: a_profile(time_of_day="night") is a valid request body."""

#: API keys and an allowed browser origin that tests configure (tests/security/conftest.py).
API_KEYS = ("first-key-0123456789", "second-key-abcdefghij")
ALLOWED_ORIGIN = "https://intake.example"


def a_profile(**fields) -> dict:
    """A minimal valid profile (a calf cramp), with the given fields set or replaced.

    Pass a field as ``None`` to remove it from the profile.
    """
    profile = {"locations": ["calf"]}
    profile.update(fields)
    return {key: value for key, value in profile.items() if value is not None}
