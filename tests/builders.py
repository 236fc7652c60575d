"""Builders that keep tests short: a_profile(time_of_day="night") is a valid request body."""


def a_profile(**fields) -> dict:
    """A minimal valid profile (a calf cramp), with the given fields set or replaced.

    Pass a field as ``None`` to remove it from the profile.
    """
    profile = {"locations": ["calf"]}
    profile.update(fields)
    return {key: value for key, value in profile.items() if value is not None}
