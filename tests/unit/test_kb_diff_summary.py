"""tools/kb_diff.py without running the service: the summary and the shared vocabulary.

The tree-copying tests are in test_kb_diff.py (slow); these are fast.
"""

from tools import kb_diff

COUNTS = {"profiles": 10, "rules examples": 4, "sampled": 8, "changed": 3, "more urgent": 1,
          "less urgent": 2, "emergency on": 0, "emergency off": 2, "not comparable": 0}


def summary_of(**counts) -> list[str]:
    return kb_diff.summary({"seed": 1, "counts": {**COUNTS, **counts}})


def test_the_summary_names_the_profiles_that_lost_their_emergency_call():
    (line,) = [line for line in summary_of() if line.startswith("- Emergency lost")]
    assert "(call_emergency_services true in the old, false in the new): 2;" in line
    assert "every one is listed" in line

    (line,) = [line for line in summary_of(**{"emergency off": 0}) if "Emergency lost" in line]
    assert line.endswith(": 0")


def test_a_request_field_only_the_new_side_knows_is_never_sampled():
    old = {"arrays": {"locations": ["calf", "foot"], "medications": ["statin"]},
           "enums": {"frequency": ["rarely", "nightly"]}, "booleans": ["pregnant"],
           "numbers": {"age": [0, 120]}}
    new = {**old, "arrays": {**old["arrays"], "risk_factors": ["recent_surgery", "cancer"]},
           "booleans": ["pregnant", "had_a_clot"], "numbers": {"age": [0, 120], "bmi": [10, 80]}}

    shared = kb_diff.common_vocabulary(old, new)

    assert shared == kb_diff.common_vocabulary(old, old)
    profiles = kb_diff.sample_profiles(shared, 300, seed=3)
    assert len(profiles) == 300
    assert not any({"risk_factors", "had_a_clot", "bmi"} & set(profile) for profile in profiles)
    assert any("medications" in profile for profile in profiles)
