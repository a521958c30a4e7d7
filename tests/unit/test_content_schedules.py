"""Content as files: schedules and office hours go through export and import unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from signage.content import ContentError, export_content
from signage.playlists.service import get_zone, office_hours_json
from signage.resources import bundled_path
from signage.store.db import Store
from signage.store.migrate import upgrade
from signage.store.models import Notice, Zone
from signage.usecases.office import change_office, set_office_hours
from signage.usecases.playlists import replace_playlist
from tests.unit.test_content_roundtrip import everything, files, load, perform, roundtrip

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CONTENT = bundled_path("content")
HOURS = {"1": [["07:30", "11:30"], ["13:30", "17:00"]], "5": [["07:30", "11:30"]],
         "6": [["08:00", "11:00"]]}


def empty_store(path: Path) -> Store:
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    return store


def schedules(store: Store) -> dict:
    """Each zone's entries with their schedules, by notice key (ids are not content)."""
    with store.read() as session:
        return {
            z.slug: [(s.notice.code or s.notice.slug, s.duration_s, s.starts_on, s.ends_on,
                      s.weekdays, s.windows, s.priority) for s in z.slides]
            for z in session.scalars(select(Zone))
        } | {"office_hours": office_hours_json(session)}


def test_schedules_office_hours_and_the_welcome_card_round_trip_exactly(tmp_path: Path):
    # Given the shipped content, a zone whose entries carry every kind of schedule,
    # office hours and the office's own welcome card
    original = empty_store(tmp_path / "original.db")
    load(original, CONTENT)
    with original.read() as session:
        ids = list(session.scalars(select(Notice.id).order_by(Notice.id)).all())[:4]
    perform(original, replace_playlist, "sanh-chinh", {"slides": [
        {"notice_id": ids[0], "duration": 30, "starts_on": "2026-12-01",
         "ends_on": "2026-12-31", "weekdays": [5, 1, 2, 3, 4],
         "windows": [["07:30", "11:30"], ["13:30", "17:00"]], "priority": 5},
        {"notice_id": ids[1], "duration": 20, "weekdays": [6, 7]},
        {"notice_id": ids[2], "duration": 15, "windows": [["11:30", "13:30"]], "priority": -2},
        {"notice_id": ids[3], "duration": 12},
    ]})
    perform(original, set_office_hours, {"hours": HOURS})
    perform(original, change_office,
            {"welcome_title": "Phường Khánh Bình kính chào quý công dân"})

    # When exported, imported into an empty database and exported again
    copy, first, second = roundtrip(original, tmp_path)

    # Then the schedules, office hours and texts are the same, and so are the files
    assert schedules(copy) == schedules(original)
    assert schedules(copy)["sanh-chinh"][0][2:] == (
        date(2026, 12, 1), date(2026, 12, 31), [1, 2, 3, 4, 5],
        [["07:30", "11:30"], ["13:30", "17:00"]], 5)
    assert everything(copy) == everything(original)
    assert files(second) == files(first)
    # and site.yaml reads as a person would write it
    text = (first / "site.yaml").read_text(encoding="utf-8")
    assert '  1: [["07:30", "11:30"], ["13:30", "17:00"]]\n' in text
    assert "    weekdays: [1, 2, 3, 4, 5]\n" in text and "    starts_on: 2026-12-01\n" in text
    assert "welcome_title: Phường Khánh Bình kính chào quý công dân" in text
    last = yaml.safe_load(text)["zones"][0]["playlist"][3]
    assert set(last) == {"procedure", "duration"} or set(last) == {"law", "duration"}


def test_the_shipped_ho_tich_items_stop_when_the_new_civil_status_law_starts(tmp_path: Path):
    # Given the shipped content (no office hours)
    store = empty_store(tmp_path / "db.db")
    load(store, CONTENT)

    # When it is exported
    with store.read() as session:
        export_content(session, tmp_path / "out")

    # Then every hộ tịch item — its 12 procedures and the khai sinh / khai tử messages —
    # ends on 28/02/2027 (Luật Hộ tịch 03/2026/QH16 takes effect on 1/3/2027), and no other
    # item carries a schedule; each has the time its pages need.
    site = yaml.safe_load((tmp_path / "out" / "site.yaml").read_text(encoding="utf-8"))
    assert "office_hours" not in site
    playlist = site["zones"][0]["playlist"]
    fields = {}
    for path in (CONTENT / "procedures").glob("*.yaml"):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        fields[("procedure", record["code"])] = record["field"]
    ho_tich = {key for key, field in fields.items() if field == "Hộ tịch"}
    ho_tich |= {("law", "dang-ky-khai-sinh-dung-han"), ("law", "dang-ky-khai-tu-trong-15-ngay")}
    assert len(ho_tich) == 14
    ending = {(k, str(item[k])) for item in playlist for k in ("procedure", "law")
              if k in item and item.get("ends_on")}
    assert ending == ho_tich
    assert {str(item["ends_on"]) for item in playlist if "ends_on" in item} == {"2027-02-28"}
    assert all(set(item) <= {"procedure", "law", "results", "duration", "ends_on"} for item in playlist)
    assert len({item["duration"] for item in playlist}) > 3   # per notice, not one length


def write_site(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(text, encoding="utf-8")
    return root


def test_times_written_without_quotes_are_read_as_times(tmp_path: Path):
    # Given a site.yaml written by hand: YAML 1.1 reads 11:30 unquoted as the number 690
    store = empty_store(tmp_path / "db.db")
    load(store, CONTENT)
    with store.read() as session:
        code = session.scalar(select(Notice.code).where(Notice.kind == "procedure"))
    folder = write_site(tmp_path / "hand", f"""
office_hours:
  1: [[07:30, 11:30], [13:30, 17:00]]
zones:
  - slug: sanh-chinh
    playlist:
      - procedure: "{code}"
        windows: [[07:30, 11:30]]
        weekdays: [1, 2]
""")

    # When it is imported
    load(store, folder)

    # Then the times are the times that were meant
    with store.read() as session:
        assert office_hours_json(session) == {"1": [["07:30", "11:30"], ["13:30", "17:00"]]}
        [slide] = get_zone(session, "sanh-chinh").slides
        assert slide.windows == [["07:30", "11:30"]] and slide.weekdays == [1, 2]


@pytest.mark.parametrize(("entry", "message"), [
    ('windows: [["11:30", "07:30"]]', "khu vực sanh-chinh, mục 1: Khung giờ, khung 1: giờ kết thúc "
                                      "phải sau giờ bắt đầu"),
    ("weekdays: [0, 8]", "khu vực sanh-chinh, mục 1: Thứ trong tuần"),
    ("starts_on: 2026-12-31\n        ends_on: 2026-12-01",
     "mục 1: Ngày kết thúc phải bằng hoặc sau ngày bắt đầu"),
])
def test_a_bad_schedule_in_site_yaml_names_the_entry_and_writes_nothing(tmp_path: Path, entry,
                                                                         message):
    # Given a database with content, and a site.yaml whose first entry has a bad schedule
    store = empty_store(tmp_path / "db.db")
    load(store, CONTENT)
    with store.read() as session:
        code = session.scalar(select(Notice.code).where(Notice.kind == "procedure"))
    before = schedules(store)
    folder = write_site(tmp_path / "bad", f"""
zones:
  - slug: sanh-chinh
    playlist:
      - procedure: "{code}"
        {entry}
""")

    # When it is imported, then the error says where and why, and nothing changed
    with pytest.raises(ContentError, match=message):
        load(store, folder)
    assert schedules(store) == before


def test_bad_office_hours_in_site_yaml_are_refused(tmp_path: Path):
    store = empty_store(tmp_path / "db.db")
    folder = write_site(tmp_path / "bad", 'office_hours:\n  9: [["07:30", "11:30"]]\nzones: []\n')
    with pytest.raises(ContentError, match="site.yaml: office_hours: Giờ làm việc: thứ"):
        load(store, folder)
