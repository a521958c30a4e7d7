"""/api/v1/screens: the lobby's TVs (admin)."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for

from signage.usecases import ADMIN, APPROVERS
from signage.usecases import pairing as pairing_uc
from signage.usecases import screens as screens_uc
from signage.web.api import blueprint, items_of, lobby, operation, perform, query

bp = blueprint("screens")


def screen_url(key: str) -> str:
    return url_for("screen.page", key=key, _external=True)


def fleet_items() -> list[dict[str, Any]]:
    """Every screen with its health (signage.fleet) and its page's address."""
    items = lobby().fleet.entries(query(screens_uc.list_fleet))
    return [{**{k: v for k, v in s.items() if k != "key"}, "url": screen_url(s["key"])}
            for s in items]


@operation(bp, "GET", "/screens", summary="Screens, with their health (admin)",
           roles=ADMIN, responses={200: items_of(screens_uc.ScreenOut)})
def list_screens():
    """Each screen: whether it is connected (its open sockets) or when it was last seen,
    `stale` when not heard for SIGNAGE_SCREEN_STALE_AFTER seconds, and what its page
    last reported: the slide it shows, the version of its files, its resolution, uptime,
    reconnects today, round trip, clock offset, sound."""
    return {"items": fleet_items()}


@operation(bp, "POST", "/screens", summary="Add screens to an existing zone (admin)",
           roles=ADMIN, body=screens_uc.ScreensIn,
           responses={201: items_of(screens_uc.ScreenAdded)})
def add_screens(body):
    """One screen per name; the answer carries each key and URL (shown once). An
    unknown zone is refused (422, code unknown_zone): create it first."""
    added = perform(screens_uc.add_screens, body)
    return {"items": [{**s, "url": screen_url(s["key"])} for s in added]}, 201


@operation(bp, "DELETE", "/screens/<int:screen_id>", summary="Revoke a screen's key (admin)",
           roles=ADMIN, responses={200: screens_uc.ScreenRevokedOut})
def revoke_screen(screen_id: int):
    """Its open sockets close (1008) and the key never connects again. Idempotent."""
    before = lobby().publisher.connected_by_screen().get(screen_id, 0)
    body = perform(screens_uc.revoke_screen, screen_id)
    return {**body, "dropped": before}


@operation(bp, "POST", "/screens/pair", summary="Pair the TV showing a code (admin)",
           roles=ADMIN, body=pairing_uc.PairIn, responses={201: pairing_uc.PairedOut})
def pair_screen(body):
    """A new TV opened `/screen` and shows a 6-character code: this names it and places
    it in a zone (which must exist). The TV goes to its page by itself; its key is never
    typed. A wrong, used or expired code is refused (422, code unknown_pairing_code)."""
    paired = perform(pairing_uc.pair_screen, body)
    key = paired.pop("key")
    return {**paired, "url": screen_url(key)}, 201


@operation(bp, "POST", "/screens/reload",
           summary="Reload one screen, the screens of some zones, or all (approver, admin)",
           roles=APPROVERS, body=screens_uc.ReloadIn, body_required=False, errors=(404,),
           responses={200: screens_uc.CommandOut})
def reload_screens(body):
    """`{"screen_id": N}`: that screen; `{"zones": [...]}`: every screen of those zones;
    no body (or `{}`): every screen. They reload their page at once and are back within
    seconds. Audited."""
    return perform(screens_uc.reload_screens, body)


@operation(bp, "POST", "/screens/<int:screen_id>/reload",
           summary="Reload one screen (approver, admin)",
           roles=APPROVERS, responses={200: screens_uc.CommandOut})
def reload_screen(screen_id: int):
    return perform(screens_uc.reload_screens, {"screen_id": screen_id})


@operation(bp, "POST", "/screens/<int:screen_id>/identify",
           summary="Show a screen's name full-screen for 10 s (admin)",
           roles=ADMIN, responses={200: screens_uc.CommandOut})
def identify_screen(screen_id: int):
    """Which TV is which: the screen shows its name and zone over everything for 10 s."""
    return perform(screens_uc.identify_screen, screen_id)


@operation(bp, "POST", "/screens/<int:screen_id>/screenshot",
           summary="Ask a screen for a picture of what it shows (admin)",
           roles=ADMIN, responses={200: screens_uc.CommandOut})
def ask_screenshot(screen_id: int):
    """The screen's page draws itself (480 px wide) and sends the picture back within
    seconds; `GET` then gives it, and the fleet page shows it as soon as it is in (event
    `fleet.screenshot`). A screen that is not connected sends nothing. Audited."""
    return perform(screens_uc.ask_screenshot, screen_id)


@operation(bp, "GET", "/screens/<int:screen_id>/screenshot",
           summary="The last picture a screen took of itself (admin)",
           roles=ADMIN, responses={200: None}, binary="image/jpeg")
def get_screenshot(screen_id: int):
    """A JPEG (at most 480 px wide), re-encoded by the server from what the page sent;
    `Last-Modified` says when it was taken. 404 (code no_screenshot) before the first."""
    shot = query(screens_uc.last_screenshot, screen_id)
    response = Response(shot["data"], mimetype="image/jpeg")
    response.last_modified = shot["taken_at"]
    response.headers.update({
        "Cache-Control": "private, no-cache",
        "Content-Disposition": f'inline; filename="screen-{screen_id}.jpg"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })
    return response
