"""The project's knowledge base, loaded once per test process for the modules that read it."""

import functools

from service.config import PROJECT_ROOT
from service.knowledge import KnowledgeBase, load_knowledge

RULES = PROJECT_ROOT / "rules"


@functools.cache
def project_knowledge() -> KnowledgeBase:
    """rules/ as the service loads it (read only: every caller shares this one object)."""
    return load_knowledge(RULES)
