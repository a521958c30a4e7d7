"""APScheduler in the serve process: wakes each zone exactly when its slide ends.

With several processes (PostgreSQL + Redis) every process keeps the timers and only the
leader, elected by a Redis key, publishes (see RedisLeadership).

The rotation itself is a pure function (signage.playlists.rotation); this module
only looks at it again at the `until` it returned and publishes `slide`, so every
screen of a zone changes together. One job per zone, with a stable id, so
rescheduling replaces rather than piles up. A reconcile job every minute picks up
zones created by another process (the CLI) and repairs a missed wake-up.

The slides drawn from the data (the results slide: last month's ratings) are read again
just after each office midnight (a new month turns their figures over on the 1st) and
every hour (`FIGURES_EVERY_S`; data imported or corrected); the publisher sends them to
the screens only when the figures changed.
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
FIGURES_EVERY_S = 3600


class AlwaysLeader:
    """One process (the embedded default): it is the leader."""

    def is_leader(self) -> bool:
        return True


class RedisLeadership:
    """Several processes: the one holding a Redis key (renewed on every tick) publishes.

    Every process keeps its own timers (they all compute the same boundaries from the
    pure rotation function); only the leader publishes. If the leader dies its key
    expires and the next process to tick takes over, within one slide.
    """

    TTL_MS = 20_000
    _CLAIM = """
    if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1
    end
    return 0
    """

    def __init__(self, url: str, prefix: str = "signage") -> None:
        import uuid

        import redis

        self._key = f"{prefix}:scheduler-leader"
        self._id = uuid.uuid4().hex
        self._redis = redis.Redis.from_url(url)
        self._claim = self._redis.register_script(self._CLAIM)

    def is_leader(self) -> bool:
        try:
            return bool(self._claim(keys=[self._key], args=[self._id, self.TTL_MS]))
        except Exception:
            log.warning("cannot reach Redis for scheduler leadership; not publishing")
            return False


class Rotation:
    def __init__(self, lobby: Lobby, leadership: AlwaysLeader | RedisLeadership | None = None) -> None:
        self.lobby = lobby
        if leadership is None:
            url = lobby.settings.redis_url
            leadership = RedisLeadership(url, lobby.settings.redis_prefix) if url else AlwaysLeader()
        self.leadership = leadership
        self.scheduler = BackgroundScheduler(
            timezone=lobby.clock.tz,
            job_defaults={"misfire_grace_time": MISFIRE_GRACE_S, "coalesce": True,
                          "max_instances": 1},
        )

    def start(self) -> None:
        self.lobby.scheduler = self
        self.lobby.publisher.on_playlist_changed = lambda slug: self.reschedule(slug, publish=False)
        self.scheduler.start()
        self.reconcile()
        self.add_jobs()

    def add_jobs(self) -> None:
        """The recurring jobs: reconcile every minute, the data-drawn slides' figures."""
        self.scheduler.add_job(self.reconcile, "interval", seconds=RECONCILE_EVERY_S,
                               id="rotation:reconcile", replace_existing=True)
        # The scheduler's time zone is the office's: 00:00:01 is just after its midnight.
        self.scheduler.add_job(self.refresh_figures, "cron", hour=0, minute=0, second=1,
                               id="figures:midnight", replace_existing=True)
        self.scheduler.add_job(self.refresh_figures, "interval", seconds=FIGURES_EVERY_S,
                               id="figures:hourly", replace_existing=True)

    def refresh_figures(self) -> None:
        """The results slides' figures again; screens get them if they changed."""
        if not self.leadership.is_leader():
            return
        try:
            self.lobby.publisher.refresh_figures()
        except Exception:
            log.exception("refreshing the results slides failed; the next run retries")

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
        if publish and self.leadership.is_leader():
            self.lobby.publisher.show(slug, showing)
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
