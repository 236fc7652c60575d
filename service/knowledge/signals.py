"""Input facts: how a request profile becomes the facts rules match.

An enum or array value becomes ``field.value`` (as in ``conditions.varicose_veins``), a true
boolean ``field`` and a false one ``field.false``; numbers stay numbers, matched by
comparisons such as ``duration_minutes > 10``. Absent fields give no fact: absent means
"not reported", never "no".
"""

from service.contract.request import Profile
from service.contract.vocabulary import ARRAY_FIELDS, BOOLEAN_FIELDS, ENUM_FIELDS, NUMBER_FIELDS


def input_signals() -> list[str]:
    """Every fact name a profile can produce, except the numbers."""
    names = [f"{f}.{v}" for f, values in {**ARRAY_FIELDS, **ENUM_FIELDS}.items() for v in values]
    names += [name for field in BOOLEAN_FIELDS for name in (field, f"{field}.false")]
    return names


def profile_facts(profile: Profile) -> list[tuple[str, object]]:
    """The profile's facts as ``(name, value)``, sorted so order of input never matters."""
    facts: list[tuple[str, object]] = []
    for field, value in profile.items():
        if field in ARRAY_FIELDS:
            facts.extend((f"{field}.{item}", True) for item in value)
        elif field in ENUM_FIELDS:
            facts.append((f"{field}.{value}", True))
        elif field in BOOLEAN_FIELDS:
            facts.append((field if value else f"{field}.false", True))
        elif field in NUMBER_FIELDS:
            facts.append((field, value))
    return sorted(facts, key=lambda fact: fact[0])


def field_of(fact: str) -> str:
    """The request field a fact name comes from: ``conditions.diabetes`` -> ``conditions``."""
    return fact.split(".", 1)[0]
