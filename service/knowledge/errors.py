"""The one error a broken knowledge base raises."""


class KnowledgeError(ValueError):
    """A rules file is broken; the message names the file and the rule or item."""
