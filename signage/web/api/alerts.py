"""/api/v1/alerts: emergency alerts over everything on the lobby screens (approvers, admins)."""

from __future__ import annotations

from signage.usecases import APPROVERS
from signage.usecases import alerts as uc
from signage.web.api import blueprint, items_of, lobby, operation, perform, query

bp = blueprint("alerts")


@operation(bp, "GET", "/alerts", summary="Emergency alerts (approvers, admins)",
           roles=APPROVERS, query=uc.AlertsQuery, responses={200: items_of(uc.AlertOut)})
def list_alerts(query):
    """The active alerts, newest first; `?all=true`: the last 100, ended ones too."""
    return {"items": _query(uc.list_alerts, query.all)}


def _query(fn, everything: bool):
    return query(fn, lobby().clock.now(), everything)


@operation(bp, "POST", "/alerts", summary="Raise an emergency alert (approvers, admins)",
           roles=APPROVERS, body=uc.AlertIn, responses={201: uc.AlertOut})
def raise_alert(body):
    """Full-screen over everything on the screens of `zones` (absent: every zone) within a
    second, with a chime (and the browser's Vietnamese voice where the TV has one, with
    `voice`), until `expires_in` seconds have passed or it is ended. Audited."""
    return perform(uc.raise_alert, body), 201


@operation(bp, "DELETE", "/alerts/<int:alert_id>", summary="End an alert now (approvers, admins)",
           roles=APPROVERS, responses={200: uc.AlertOut})
def end_alert(alert_id: int):
    """Its screens clear it at once. Ending an alert that is over changes nothing."""
    return perform(uc.end_alert, alert_id)
