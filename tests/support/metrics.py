"""Reading a Prometheus text exposition, as the metrics tests do."""

from prometheus_client.parser import text_string_to_metric_families


def samples(exposition: str) -> dict[tuple[str, frozenset], float]:
    """``{(sample name, frozenset of label pairs): value}`` of a Prometheus text exposition."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def value(exposition_samples: dict, name: str, **labels: str) -> float:
    """One sample's value, 0 when the exposition lacks it (a series not yet created)."""
    return exposition_samples.get((name, frozenset(labels.items())), 0.0)
