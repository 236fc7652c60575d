"""The numbers of the independent vignettes in the hazard log (docs/clinical-safety.md, "Measured
against independent vignettes") are what the knowledge base answers now: tools/clinical_report.py
writes them (make clinical-report) and this fails when they are stale, so make test keeps them
true."""

from tests.support.vignettes import VIGNETTES, verdicts
from tools import clinical_report


def test_the_hazard_logs_vignette_numbers_are_what_the_knowledge_base_answers_now():
    text, fresh = clinical_report.current_doc()
    assert text == fresh, "the vignettes' numbers are stale: run make clinical-report"


def test_the_block_counts_every_vignette_once_and_lists_every_failing_one():
    block = clinical_report.block(verdicts())
    assert f"| **all** | {len(VIGNETTES)} |" in block
    failing = [verdict.id for verdict in verdicts() if verdict.outcome != "pass"]
    assert [each for each in failing if f"| `{each}` |" not in block] == []


def test_the_hazard_log_holds_the_markers_once_and_in_order():
    text = clinical_report.DOC.read_text(encoding="utf-8")
    assert text.count(clinical_report.START) == text.count(clinical_report.END) == 1
    assert text.index(clinical_report.START) < text.index(clinical_report.END)
    assert text.index("## Measured against independent vignettes") < text.index(
        clinical_report.START) < text.index("## Reviewing a knowledge change")
