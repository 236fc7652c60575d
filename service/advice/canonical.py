"""The canonical form of a profile: exactly what its answer depends on, and nothing else."""

from service.contract.request import Profile
from service.knowledge.signals import profile_facts

#: A profile's facts, and the fields it reports.
CanonicalKey = tuple[tuple[tuple[str, object], ...], tuple[str, ...]]


def canonical_key(profile: Profile) -> CanonicalKey:
    """A hashable key equal for two profiles exactly when they must get the same answer.

    The answer is a pure function of the profile's facts (list order does not matter, and a
    number matters only by its value) and of which fields were reported at all (an empty list
    is reported, which decides the follow-up questions).
    """
    return tuple(profile_facts(profile)), tuple(sorted(profile))
