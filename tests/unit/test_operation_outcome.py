"""A problem document as an OperationOutcome (service/web/operation_outcome.py): every message
of the problem reaches an issue, and the result is a valid FHIR resource (R4B models)."""

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from service.web.operation_outcome import ISSUE_CODES, operation_outcome


def test_a_400_has_an_issue_for_its_detail_and_one_for_each_field_message():
    problem = {"status": 400, "detail": "See errors.",
               "errors": {"url": ["Not a canonical URL."], "_schema": ["... and 3 more."]}}

    outcome = OperationOutcome.model_validate(operation_outcome(problem))

    assert [(issue.code, issue.diagnostics) for issue in outcome.issue] == [
        ("invalid", "See errors."), ("invalid", "url: Not a canonical URL."),
        ("invalid", "_schema: ... and 3 more."),
    ]


def test_a_detail_repeated_as_the_whole_body_s_error_is_not_said_twice():
    problem = {"status": 400, "detail": "Not JSON.", "errors": {"_schema": ["Not JSON."]}}

    assert len(operation_outcome(problem)["issue"]) == 1


@pytest.mark.parametrize("status", [*ISSUE_CODES, 418, 502])
def test_every_status_gives_a_valid_outcome_with_one_error_issue(status):
    outcome = OperationOutcome.model_validate(operation_outcome({"status": status,
                                                                 "detail": "Went wrong."}))

    assert [(issue.severity, issue.diagnostics) for issue in outcome.issue] == [
        ("error", "Went wrong.")]
