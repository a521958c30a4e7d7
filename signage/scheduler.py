"""APScheduler in the serve process: wakes each zone exactly when its slide ends.

The rotation itself is a pure function (signage.playlists.rotation); this module
only looks at it again at the `until` it returned and publishes `slide`, so every
screen of a zone changes together. One job per zone, with a stable id, so
rescheduling replaces rather than piles up. A reconcile job every minute picks up
zones created by another process (the CLI) and repairs a missed wake-up.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from signage.lobby import Lobby
from signage.playlists import service as playlists

log = logging.getLogger(__name__)

MISFIRE_GRACE_S = 30
RECONCILE_EVERY_S = 60


class Rotation:
    def __init__(self, lobby: Lobby) -> None:
        self.lobby = lobby
        self.scheduler = BackgroundScheduler(
            timezone=lobby.clock.tz,
            job_defaults={"misfire_grace_time": MISFIRE_GRACE_S, "coalesce": True,
                          "max_instances": 1},
        )

    def start(self) -> None:
        self.lobby.scheduler = self
        self.scheduler.start()
        self.reconcile()
        self.scheduler.add_job(self.reconcile, "interval", seconds=RECONCILE_EVERY_S,
                               id="rotation:reconcile", replace_existing=True)

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def reconcile(self) -> None:
        with self.lobby.store.read() as session:
            slugs = playlists.zone_slugs(session)
        for slug in slugs:
            job = self.scheduler.get_job(self._job_id(slug))
            if job is None or job.next_run_time is None:
                self.reschedule(slug, publish=True)

    @staticmethod
    def _job_id(slug: str) -> str:
        return f"rotation:{slug}"

    def reschedule(self, slug: str, publish: bool = True, not_before: datetime | None = None) -> None:
        """Look at the zone now; publish its slide; wake again when that slide ends."""
        now = self.lobby.clock.now()
        if not_before is not None and now < not_before:
            # A timer that fires a hair early must not show the old slide again.
            now = not_before
        with self.lobby.store.read() as session:
            zone = playlists.get_zone(session, slug)
            showing = playlists.current(session, zone, now, self.lobby.clock.tz) if zone else None
        if publish:
            self.lobby.show(slug, showing)
        job_id = self._job_id(slug)
        if showing is None:
            if self.scheduler.get_job(job_id):
                self.scheduler.remove_job(job_id)
            return
        self.scheduler.add_job(
            self._tick, "date", run_date=showing.until, args=[slug, showing.until],
            id=job_id, replace_existing=True,
        )

    def _tick(self, slug: str, until: datetime) -> None:
        try:
            self.reschedule(slug, publish=True, not_before=until + timedelta(milliseconds=1))
        except Exception:
            log.exception("rotation of zone %s failed; the reconcile job will retry", slug)
