"""The two results of the independent vignettes that make test holds: an emergency is never
answered with less, and a benign cramp is never sent for a heart or vessel work-up.

Each vignette's answer comes from the real app and is judged by
tests/support/vignette_judging.py through tests/clinical/concepts.yaml. Every other failing
vignette is reported in the hazard log (docs/clinical-safety.md, "Measured against independent
vignettes"), not failed here. The expected answers are the independent writer's: when a gate
fails, the knowledge changes, never the vignette.
"""

from tests.support.vignettes import is_benign, is_emergency_or_urgent, verdicts


def test_no_vignette_that_expects_an_ambulance_or_care_today_is_under_triaged_or_refused():
    failing = {verdict.id: verdict.reasons for verdict in verdicts()
               if is_emergency_or_urgent(verdict.vignette)
               and verdict.outcome in ("under_triage", "refused")}
    assert failing == {}


def test_no_benign_vignette_is_sent_for_a_heart_or_vessel_work_up():
    failing = sorted(verdict.id for verdict in verdicts()
                     if is_benign(verdict.vignette) and verdict.has("heart_or_vessel_workup"))
    assert failing == []
