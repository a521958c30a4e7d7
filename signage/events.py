"""What a change did that the screens (and consoles) must hear about.

A use case records these on its `Change`; after the transaction commits, the
publisher (signage.publishing) turns them into Hub events: the only place that
does. They are facts about the domain, not messages: the publisher decides what
each one means on the wire (docs/protocol.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NoticeChanged:
    """A notice's live record changed: screens showing it need the new slide."""

    notice_id: int


@dataclass(frozen=True)
class PlaylistChanged:
    """These zones show something else now (playlist, schedule, a notice joined or left)."""

    zones: tuple[str, ...]


@dataclass(frozen=True)
class ZoneChanged:
    """A zone's own fields (its name) changed."""

    zone: str


@dataclass(frozen=True)
class OfficeChanged:
    """The office's names, hours or welcome card changed: every zone."""


@dataclass(frozen=True)
class QueueChanged:
    """Tickets, counters or services changed: panels and consoles refresh (coalesced)."""


@dataclass(frozen=True)
class QueueCalled:
    """A ticket was (re)called at a counter: shown and spoken at once in these zones."""

    zones: tuple[str, ...]
    call: dict[str, Any] = field(hash=False, compare=False)


@dataclass(frozen=True)
class DutyChanged:
    """Who is on duty at a counter changed (or their profile): its tablet shows them."""

    counter_id: int


@dataclass(frozen=True)
class CounterActed:
    """An officer acted at a counter: its tablet shows who is served there now
    (`serving`, a ticket's display or None) and, when a ticket was served to the end,
    asks that citizen for a rating (`ask`, built in the transaction that completed it)."""

    counter_id: int
    serving: str | None = None
    ask: dict[str, Any] | None = field(default=None, hash=False, compare=False)


@dataclass(frozen=True)
class TicketRated:
    """A served ticket was rated: the counter's tablet thanks the citizen and idles."""

    counter_id: int
    ticket_id: int


@dataclass(frozen=True)
class TabletRevoked:
    """A rating tablet's key was revoked: its open sockets close."""

    tablet_id: int


@dataclass(frozen=True)
class RatingSettingsChanged:
    """The rating scale or timeout changed: every tablet draws it again."""


@dataclass(frozen=True)
class ScreenRevoked:
    """A screen's key was revoked: its open sockets close."""

    screen_id: int


@dataclass(frozen=True)
class AlertsChanged:
    """An emergency alert was raised or ended in these zones (None: every zone)."""

    zones: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ScreensCommanded:
    """An admin asked screens to act: `command` "reload", "identify" or "screenshot", for one screen
    (`screen_id`) of `zones`, or every screen of `zones`."""

    command: str
    zones: tuple[str, ...]
    screen_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ScreenshotTaken:
    """A screen's page sent a new picture of itself: the fleet pages show it."""

    screen_id: int
    taken_at: str


@dataclass(frozen=True)
class ScreensChanged:
    """Screens were added, paired or revoked: admins' fleet pages read the fleet again."""


@dataclass(frozen=True)
class ScreenPaired:
    """The TV waiting with pairing `pairing_id` has become a screen: it goes there."""

    pairing_id: int


Event = NoticeChanged | PlaylistChanged | ZoneChanged | OfficeChanged | QueueChanged | \
    QueueCalled | ScreenRevoked | DutyChanged | CounterActed | TicketRated | \
    TabletRevoked | RatingSettingsChanged | ScreenPaired | ScreensChanged | AlertsChanged | \
    ScreensCommanded | ScreenshotTaken


# ---- across processes ---------------------------------------------------------------------

_TYPES = {cls.__name__: cls for cls in (NoticeChanged, PlaylistChanged, ZoneChanged,
                                        OfficeChanged, QueueChanged, QueueCalled, ScreenRevoked,
                                        DutyChanged, CounterActed, TicketRated,
                                        TabletRevoked, RatingSettingsChanged, ScreenPaired,
                                        ScreensChanged, AlertsChanged, ScreensCommanded,
                                        ScreenshotTaken)}


def encode(events: list[Event]) -> list[dict[str, Any]]:
    """Events as JSON-ready dicts (for the relay from a CLI process to the server)."""
    out = []
    for event in events:
        body = {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(event).items()}
        out.append({"event": type(event).__name__, **body})
    return out


def decode(items: list[dict[str, Any]]) -> list[Event]:
    """The inverse of `encode`; unknown or malformed items are skipped."""
    events: list[Event] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        kind = _TYPES.get(str(item.get("event")))
        if kind is None:
            continue
        fields = {k: (tuple(v) if isinstance(v, list) else v)
                  for k, v in item.items() if k != "event"}
        try:
            events.append(kind(**fields))
        except TypeError:
            continue
    return events
