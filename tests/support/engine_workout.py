"""Work the advisor's engine hard enough for memcheck to see its C core's memory.

Run as ``python -m tests.support.engine_workout COUNT`` under valgrind, by
tests/load/test_engine_memcheck.py.

Every example of the rules (red flags, chains of derived facts, the safety layer) and then
``COUNT`` seeded random profiles, of every shape and intake-like, each evaluated and answered in a
fresh session, as a request would be. Prints the engine's counters as JSON when done.
"""

import json
import random
import sys

from service.advice import Advisor
from tests.support.knowledge import project_knowledge
from tests.support.profiles import intake_profile, valid_profile


def main(count: int) -> None:
    knowledge = project_knowledge()
    advisor = Advisor(knowledge)
    for example in knowledge.examples:
        advisor.advise(example.profile)
    rng = random.Random(2026)
    for index in range(count):
        advisor.advise(intake_profile(rng) if index % 2 else valid_profile(rng))
    print(json.dumps({"examples": len(knowledge.examples), **advisor.engine_stats()}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
