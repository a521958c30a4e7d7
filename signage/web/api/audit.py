"""/api/v1/audit: the audit log, newest first (admin)."""

from __future__ import annotations

from signage.usecases import ADMIN
from signage.usecases import accounts as accounts_uc
from signage.web.api import blueprint, lobby, operation
from signage.web.api import query as run_query  # `query` is the parsed query string

bp = blueprint("audit")


@operation(bp, "GET", "/audit", summary="The audit log, newest first (admin)", roles=ADMIN,
           query=accounts_uc.AuditFilter, responses={200: accounts_uc.AuditPage})
def audit_log(query: accounts_uc.AuditFilter):
    """Dates are office days: `since=2026-11-26&until=2026-11-26` is that whole day. A date
    that cannot be read is 400 (code invalid_parameter)."""
    return run_query(accounts_uc.audit_log, query, lobby().clock.tz)

