"""The scheduler switches content at the scheduled minute — driven by a fake clock.

APScheduler is started paused: jobs get their real run times but never fire by
themselves; the test moves the clock and runs the due job, as the scheduler would.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from signage import create_app
from signage.cli import prepare
from signage.clock import FakeClock
from signage.playlists import service as playlists
from signage.scheduler import Rotation
from signage.usecases import Actor
from signage.usecases.playlists import replace_playlist
from tests.wire import attach_listener

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def rotation(tmp_path):
    clock = FakeClock(datetime(2026, 11, 26, 8, 0, tzinfo=HCM))
    app = create_app({"data_dir": tmp_path / "instance", "clock": clock})
    lobby = app.extensions["signage"]
    prepare(lobby, out=lambda *_: None)
    lobby.publisher.start()
    rotation = Rotation(lobby)
    rotation.scheduler.start(paused=True)
    lobby.scheduler = rotation
    yield rotation, clock
    rotation.shutdown()
    lobby.store.dispose()


def schedule_zone(lobby, windowed_notice: int, others: list[int]) -> None:
    lobby.perform(replace_playlist, Actor.system(), "sanh-chinh", {"slides": [
        *({"notice_id": n, "duration": 10} for n in others),
        {"notice_id": windowed_notice, "duration": 10, "windows": [["09:00", "09:30"]],
         "priority": 5},
    ]})


def run_due_job(rotation: Rotation, clock: FakeClock) -> None:
    job = rotation.scheduler.get_job("rotation:sanh-chinh")
    clock.set(job.next_run_time.astimezone(HCM))
    job.func(*job.args)


def test_a_scheduled_notice_appears_and_disappears_at_its_minutes(rotation):
    rotation, clock = rotation
    lobby = rotation.lobby
    with lobby.store.read() as session:
        zone = playlists.get_zone(session, "sanh-chinh")
        ids = [s.notice["id"] for s in playlists.playlist(session, zone)][:3]
    schedule_zone(lobby, ids[2], ids[:2])
    screen = attach_listener(lobby.publisher.hub, "sanh-chinh")

    # Given 08:00, the job is set for the end of the current slide, never past 09:00
    rotation.reschedule("sanh-chinh")
    first = screen.next()
    assert first["type"] == "slide" and len(first["showing"]["active"]) == 2

    # When the clock reaches each due time, up to 09:00 sharp
    while rotation.scheduler.get_job("rotation:sanh-chinh").next_run_time.astimezone(HCM) < \
            datetime(2026, 11, 26, 9, 0, tzinfo=HCM):
        run_due_job(rotation, clock)
        screen.next()
    run_due_job(rotation, clock)
    at_nine = screen.next()

    # Then at 09:00 the urgent notice alone is on screen, until 09:30
    assert clock.now() == datetime(2026, 11, 26, 9, 0, tzinfo=HCM)
    assert at_nine["showing"]["started"] == "2026-11-26T09:00:00+07:00"
    windowed_slide = at_nine["showing"]["slide_id"]
    assert at_nine["showing"]["active"] == [windowed_slide]
    for _ in range(5):
        run_due_job(rotation, clock)
        assert screen.next()["showing"]["slide_id"] == windowed_slide
    assert rotation.scheduler.get_job("rotation:sanh-chinh").next_run_time.astimezone(HCM) <= \
        datetime(2026, 11, 26, 9, 30, tzinfo=HCM)

    # And at 09:30 it is gone
    clock.set(datetime(2026, 11, 26, 9, 29, 59, tzinfo=HCM))
    rotation.reschedule("sanh-chinh")
    screen.next()
    run_due_job(rotation, clock)
    after = screen.next()
    assert after["showing"]["started"] == "2026-11-26T09:30:00+07:00"
    assert windowed_slide not in after["showing"]["active"]
