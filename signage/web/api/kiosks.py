"""/api/v1/kiosks: registered ticket kiosks (admin). A registered kiosk opens
`/kiosk/<key>` and its numbers are not limited as anonymous requests are."""

from __future__ import annotations

from flask import url_for

from signage.usecases import ADMIN
from signage.usecases import kiosks as uc
from signage.web.api import blueprint, items_of, operation, perform, query

bp = blueprint("kiosks")


def kiosk_url(key: str) -> str:
    return url_for("queue.kiosk", key=key, _external=True)


@operation(bp, "GET", "/kiosks", summary="Registered kiosks (admin)", roles=ADMIN,
           responses={200: items_of(uc.KioskOut)})
def list_kiosks():
    return {"items": [{k: v for k, v in kiosk.items() if k != "key"}
                      for kiosk in query(uc.list_kiosks)]}


@operation(bp, "POST", "/kiosks", summary="Register a kiosk (admin)", roles=ADMIN,
           body=uc.KioskIn, responses={201: uc.KioskAdded})
def add_kiosk(body):
    """The answer's `url` is the page to open on the kiosk (its key in it, shown once)."""
    added = perform(uc.add_kiosk, body)
    return {**added, "url": kiosk_url(added["key"])}, 201


@operation(bp, "DELETE", "/kiosks/<int:kiosk_id>", summary="Revoke a kiosk's key (admin)",
           roles=ADMIN, responses={200: uc.KioskOut})
def revoke_kiosk(kiosk_id: int):
    return perform(uc.revoke_kiosk, kiosk_id)
