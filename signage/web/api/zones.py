"""/api/v1/zones: the lobby's areas (list: any staff; create, rename: admin)."""

from __future__ import annotations

from signage.usecases import ADMIN
from signage.usecases import zones as zones_uc
from signage.web.api import blueprint, items_of, operation, perform, query

bp = blueprint("zones")


@operation(bp, "GET", "/zones", summary="Zones, with how many screens each has",
           responses={200: items_of(zones_uc.ZoneOut)})
def list_zones():
    return {"items": query(zones_uc.list_zones)}


@operation(bp, "POST", "/zones", summary="Create a zone (admin)", roles=ADMIN,
           body=zones_uc.ZoneIn, responses={201: zones_uc.ZoneOut}, errors=(409,))
def create_zone(body):
    """The slug (used in URLs) is made from the name when not given. Creating a zone is
    the only way one comes to exist: screens and counters name existing zones."""
    return perform(zones_uc.create_zone, body), 201


@operation(bp, "PATCH", "/zones/<slug>", summary="Rename a zone (admin)", roles=ADMIN,
           body=zones_uc.ZoneRename, responses={200: zones_uc.ZoneOut})
def rename_zone(slug: str, body):
    return perform(zones_uc.rename_zone, slug, body)
