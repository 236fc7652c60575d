"""Every rules-file example gets the same bytes on every supported Python (3.10 to 3.13).

The digests in tests/rules/answer-digests.json were written on one interpreter; ``make test``
runs this test on the interpreter it picks and on every other supported one the machine has, so
an answer that differed by a byte on any of them (an order, a float, an escape) fails here.
"""

import sys

from tests.support.answer_digests import answer_digests, recorded_digests

REGENERATE = "python -m tests.support.answer_digests (after a knowledge-base change)"


def test_every_example_is_answered_the_recorded_bytes_on_this_python():
    answered, recorded = answer_digests(), recorded_digests()

    assert answered.keys() == recorded.keys(), f"examples added or removed: {REGENERATE}"
    differing = [name for name in answered if answered[name] != recorded[name]]
    assert not differing, (
        f"Python {sys.version.split()[0]} answers {len(differing)} examples with other bytes "
        f"than recorded, e.g. {differing[:3]}; if the knowledge base changed: {REGENERATE}")
