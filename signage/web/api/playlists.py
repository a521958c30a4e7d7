"""/api/v1/zones/<slug>/playlist, …/now: what each zone's screens rotate through, and what
they show at this moment (signage.usecases.playlists). The playlist editor in /admin
does everything through these."""

from __future__ import annotations

from signage.usecases import APPROVERS, EDITORS
from signage.usecases import playlists as uc
from signage.web.api import blueprint, lobby, operation, perform, query

bp = blueprint("playlists")


@operation(bp, "GET", "/zones/<slug>/playlist", summary="A zone's playlist",
           responses={200: uc.Playlist})
def get_playlist(slug: str):
    """Every entry, in order, with its schedule; entries whose notice is not approved
    (`notice_status`) are listed too, though screens skip them, so a PUT of what this
    returned keeps them."""
    return query(uc.playlist_of, slug)


@operation(bp, "GET", "/zones/<slug>/playlist/entries",
           summary="Every entry of a zone's playlist, for editing (editor)", roles=EDITORS,
           responses={200: uc.Playlist})
def zone_entries(slug: str):
    """The same as GET /zones/{slug}/playlist (kept for the playlist editor)."""
    return query(uc.playlist_of, slug)


@operation(bp, "PUT", "/zones/<slug>/playlist", summary="Replace a zone's playlist (editor)",
           roles=EDITORS, body=uc.PlaylistIn, responses={200: uc.Playlist})
def put_playlist(slug: str, body):
    """{"slides": [{"notice_id": 1, "duration": 15, schedule…}, …]} in order. A refusal
    names the entry: "Slide 2: Khung giờ, khung 1: …". By an approver or admin the
    zone's screens get the new playlist at once; by an editor it is a proposal
    (`proposal` in the answer) and the screens keep the approved one until an approver
    approves it."""
    return perform(uc.replace_playlist, slug, body)


@operation(bp, "POST", "/zones/<slug>/playlist/approve",
           summary="Approve the zone's proposed playlist (approver)", roles=APPROVERS,
           body=uc.Decision, body_required=False, responses={200: uc.Playlist}, errors=(409,))
def approve_playlist(slug: str, body):
    """{"proposal": id} (optional: the one pending). It becomes the playlist; the zone's
    screens get it at once."""
    return perform(uc.approve_playlist, slug, body)


@operation(bp, "POST", "/zones/<slug>/playlist/reject",
           summary="Send the zone's proposed playlist back (approver)", roles=APPROVERS,
           body=uc.Decision, responses={200: uc.Playlist}, errors=(409,))
def reject_playlist(slug: str, body):
    """{"reason": "…", "proposal": id?}. The screens keep the approved playlist."""
    return perform(uc.reject_playlist, slug, body)


@operation(bp, "POST", "/zones/<slug>/playlist/hidden",
           summary="What one entry's schedule would keep off the zone's screens (editor)",
           roles=EDITORS, body=uc.HiddenQuery, responses={200: uc.HiddenList})
def hidden_entries(slug: str, body):
    """Takes what PUT takes, plus `index` (the entry being edited, from 0); saves nothing.
    Answers the entries that, from today on and in office hours, rotate without that entry
    and not with it (strict priority: the rotation's own rule) — the playlist editor lists
    them before a raised priority hides them."""
    clock = lobby().clock
    return query(uc.hidden_entries, slug, body, clock.now().astimezone(clock.tz).date())


@operation(bp, "GET", "/zones/<slug>/now", summary="What the zone's screens show now",
           responses={200: uc.ZoneNow})
def zone_now(slug: str):
    """state: slide | welcome (nothing scheduled) | closed (outside office hours)."""
    clock = lobby().clock
    return query(uc.zone_now, slug, clock.now(), clock.tz)
