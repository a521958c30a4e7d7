"""/api/v1/tablets: the counters' rating tablets (admin). A registered tablet opens
`/rate/<counter number>?key=<its key>` and may send its counter's ratings."""

from __future__ import annotations

from flask import request

from signage.usecases import ADMIN
from signage.usecases import tablets as uc
from signage.web.api import blueprint, items_of, operation, perform
from signage.web.api import query as run_query

bp = blueprint("tablets")


@operation(bp, "GET", "/tablets", summary="Rating tablets (admin)", roles=ADMIN,
           responses={200: items_of(uc.TabletOut)})
def list_tablets():
    return {"items": [{k: v for k, v in tablet.items() if k != "key"}
                      for tablet in run_query(uc.list_tablets)]}


@operation(bp, "POST", "/tablets", summary="Register a rating tablet at a counter (admin)",
           roles=ADMIN, body=uc.TabletIn, responses={201: uc.TabletAdded})
def add_tablet(body):
    """The answer's `url` is the page to open on the tablet (its key in it, shown once)."""
    added = perform(uc.add_tablet, body)
    path = uc.tablet_path(added["counter"], added["key"])
    return {**added, "url": request.host_url.rstrip("/") + path}, 201


@operation(bp, "DELETE", "/tablets/<int:tablet_id>", summary="Revoke a tablet's key (admin)",
           roles=ADMIN, responses={200: uc.TabletOut})
def revoke_tablet(tablet_id: int):
    return perform(uc.revoke_tablet, tablet_id)
