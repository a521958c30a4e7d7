"""The API against its own OpenAPI document: schemathesis generates requests for every
operation (valid and invalid, from the document's own schemas), sent with an admin's
token, and every answer must be no server error, a documented status, and a body that
matches the documented schema (issue 10, items 11 and 16). Bounded: a fixed number of
examples per operation, derandomised so a run is repeatable."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from signage.accounts import add_token, add_user

EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.mark.slow
def test_every_operation_answers_as_documented_and_never_errs(app, lobby):
    with lobby.store.write() as session:
        add_user(session, "fuzz", "admin", "mat-khau-rat-dai-de-thu", lobby.clock.now())
        token = add_token(session, "fuzz", "schemathesis", lobby.clock.now())
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def exercise(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            exercise()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's, not the first
            failures[operation.label] = str(exc)[:1500]
    assert operations > 40
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
