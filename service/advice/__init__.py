"""The advice logic: profile in, sourced advice out, through the rule engine."""

from service.advice.advisor import AdviceUnavailable, Advisor

__all__ = ["AdviceUnavailable", "Advisor"]
