"""The knowledge base: rules and advice as data in ``rules/``, loaded, checked and compiled."""

from service.knowledge.compiler import CompiledRules, compile_rules
from service.knowledge.errors import KnowledgeError
from service.knowledge.loader import load_knowledge
from service.knowledge.model import ITEM_KINDS, KnowledgeBase

__all__ = [
    "ITEM_KINDS", "CompiledRules", "KnowledgeBase", "KnowledgeError", "compile_rules",
    "load_knowledge",
]
