"""Content as files: `content/` is loaded into an empty database on first serve, and by
`signage content import PATH`; `signage content export PATH` writes the same layout.

    site.yaml              office (ward name …), office hours (optional) and zones with
                           their playlists; a playlist item may carry a schedule
    procedures/*.yaml      one procedure notice per file (schema: signage.notices.schema)
    law/*.yaml             one law-outreach message per file

Import is an upsert keyed by procedure code and law slug, in one transaction: a file
that does not validate stops the import with its name and the Vietnamese reason, and
nothing is written.

Export then import into an empty database gives back the same notices (records and
status), office, office hours and zones with their playlists (order, durations and
schedules), and exporting
that database again writes the same files byte for byte
(tests/unit/test_content_roundtrip.py, test_content_schedules.py). Export mirrors:
notice files in procedures/ and law/ that the database no longer has are removed.

Schedules in site.yaml (all optional; see signage/playlists/schedules.py):

    office_hours:                  # absent: left as it is; null: no office hours
      1: [["07:30", "11:30"], ["13:30", "17:00"]]     # ISO weekday: 1 = Thứ Hai … 7 = Chủ Nhật
    zones:
      - slug: sanh-chinh
        playlist:
          - procedure: 1.001193
            duration: 30
            starts_on: 2026-12-01   # ends_on, inclusive
            weekdays: [1, 2, 3, 4, 5]
            windows: [["07:30", "11:30"]]
            priority: 5
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from signage.notices.schema import NoticeInvalid, parse_notice, record_json
from signage.notices.service import apply_record
from signage.notices.timing import suggested_duration
from signage.playlists.schedules import SCHEDULE_FIELDS, ScheduleInvalid, clean_schedule
from signage.playlists.service import (
    DEFAULT_DURATION,
    DEFAULT_ZONE,
    append_slide,
    ensure_zone,
    office,
    office_hours_json,
    set_office,
    set_office_hours,
)
from signage.store.models import Notice, Slide, Zone


class ContentError(ValueError):
    """A content file that cannot be loaded; the message names the file."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    zones: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.created} thông báo mới, {self.updated} cập nhật; "
                f"khu vực: {', '.join(self.zones) or '—'}")


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: YAML không hợp lệ: {exc}") from None


# What a notice's `status` may be in a file; absent means "approved" (shown on screens).
_STATUS = re.compile(r"^[a-z_]{1,16}$")


def _read_notices(root: Path) -> list[tuple[Path, Any, str]]:
    found = []
    seen: dict[tuple[str, str], Path] = {}
    for sub, kind in (("procedures", "procedure"), ("law", "law")):
        for path in sorted((root / sub).glob("*.y*ml")):
            data = _load_yaml(path)
            status = "approved"
            if isinstance(data, dict):
                data.setdefault("kind", kind)
                status = str(data.pop("status", None) or "approved")
                if not _STATUS.match(status):
                    raise ContentError(f"{path}: Trạng thái {status!r} không hợp lệ.")
            try:
                record = parse_notice(data)
            except NoticeInvalid as exc:
                raise ContentError(f"{path}: {exc}") from None
            key = (record.kind, record.code if record.kind == "procedure" else record.slug)
            if key in seen:
                what = "Mã thủ tục" if record.kind == "procedure" else "Mã định danh"
                raise ContentError(f"{path}: {what} {key[1]} đã có ở tệp {seen[key].name}.")
            seen[key] = path
            found.append((path, record, status))
    return found


def import_content(session: Session, root: Path, now: datetime) -> ImportReport:
    """Load a content folder into the store (upsert). Raises ContentError."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(f"{root}: không phải là thư mục.")
    site = _load_yaml(root / "site.yaml") if (root / "site.yaml").exists() else {}
    site = site or {}
    report = ImportReport()
    by_key: dict[tuple[str, str], Notice] = {}
    for _path, record, status in _read_notices(root):
        key_col = Notice.code if record.kind == "procedure" else Notice.slug
        key = record.code if record.kind == "procedure" else record.slug
        notice = session.scalar(select(Notice).where(key_col == key))
        if notice is None:
            notice = Notice(created_at=now, updated_at=now, status="approved", version=1)
            session.add(notice)
            report.created += 1
        elif notice.record != record_json(record) or notice.status != status:
            notice.version += 1
            notice.updated_at = now
            report.updated += 1
        apply_record(notice, record)
        notice.status = status
        by_key[(record.kind, key)] = notice
    session.flush()

    if site.get("office"):
        set_office(session, site["office"])
    if "office_hours" in site:
        try:
            set_office_hours(session, _yaml_times(site["office_hours"]))
        except ScheduleInvalid as exc:
            raise ContentError(f"site.yaml: office_hours: {exc}") from None
    # No `zones` key: one lobby zone showing everything. `zones: []` (an export of a
    # database without zones) means none.
    zones = site.get("zones")
    if zones is None:
        zones = [{"slug": DEFAULT_ZONE}]
    for spec in zones:
        zone = ensure_zone(session, spec["slug"], spec.get("name"))
        if spec.get("name"):
            zone.name = spec["name"]
        items = spec.get("playlist", "auto")
        if items == "auto":
            items = _auto_playlist(by_key)
        session.execute(delete(Slide).where(Slide.zone_id == zone.id))
        for number, item in enumerate(items, start=1):
            notice = _resolve(session, item, by_key)
            slide = append_slide(session, zone, notice, int(item.get("duration", DEFAULT_DURATION)))
            schedule = {k: item[k] for k in SCHEDULE_FIELDS if k in item}
            if "windows" in schedule:
                schedule["windows"] = _yaml_times(schedule["windows"])
            if schedule:
                try:
                    clean = clean_schedule(schedule)
                except ScheduleInvalid as exc:
                    raise ContentError(
                        f"site.yaml: khu vực {zone.slug}, mục {number}: {exc}") from None
                for key, value in clean.items():
                    setattr(slide, key, value)
        report.zones.append(zone.slug)
    return report


def _yaml_times(value: Any) -> Any:
    """Time windows with "HH:MM" strings where YAML 1.1 read a time as a number.

    PyYAML reads an unquoted 11:30 as the base-60 integer 690 (07:30 stays a string,
    because of its leading zero), so `windows: [[07:30, 11:30]]`, as people write it,
    would arrive as ["07:30", 690]. Turn such numbers back into the time they were.
    """
    if isinstance(value, dict):
        return {k: _yaml_times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_times(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


def _auto_playlist(by_key: dict[tuple[str, str], Notice]) -> list[dict[str, Any]]:
    """Two procedures, then one law message, and so on: outreach runs between procedures.

    Each gets the time its pages need (signage.notices.timing), not one fixed length.
    """
    procedures = [{"procedure": k, "duration": suggested_duration(n.record)}
                  for (kind, k), n in by_key.items() if kind == "procedure"]
    laws = [{"law": k, "duration": suggested_duration(n.record)}
            for (kind, k), n in by_key.items() if kind == "law"]
    items: list[dict[str, Any]] = []
    while procedures or laws:
        items += procedures[:2]
        procedures = procedures[2:]
        items += laws[:1]
        laws = laws[1:]
    return items


def _resolve(session: Session, item: dict[str, Any],
             by_key: dict[tuple[str, str], Notice]) -> Notice:
    kind = "procedure" if "procedure" in item else "law" if "law" in item else None
    if kind is None:
        raise ContentError(f"site.yaml: mục playlist {item!r} phải có 'procedure' hoặc 'law'.")
    key = str(item[kind])
    notice = by_key.get((kind, key)) or session.scalar(
        select(Notice).where((Notice.code if kind == "procedure" else Notice.slug) == key))
    if notice is None:
        raise ContentError(f"site.yaml: không tìm thấy {kind} {key!r}.")
    return notice


def export_content(session: Session, root: Path) -> int:
    """Write every notice, the office and the zones' playlists as files. Returns the count.

    The folder then holds exactly the database's notices: older notice files in
    procedures/ and law/ are removed (other files are left alone).
    """
    root = Path(root)
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    (root / "law").mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    for notice in session.scalars(select(Notice).order_by(Notice.id)):
        record = {k: v for k, v in notice.record.items() if k != "kind"}
        if notice.status != "approved":
            record["status"] = notice.status
        name = (f"procedures/{notice.code}.yaml" if notice.kind == "procedure"
                else f"law/{notice.slug}.yaml")
        _dump(root / name, record)
        written.add(root / name)
    for sub in ("procedures", "law"):
        for stale in (root / sub).glob("*.y*ml"):
            if stale not in written:
                stale.unlink()
    count = len(written)
    zones = []
    for zone in session.scalars(select(Zone).order_by(Zone.id)):
        zones.append({
            "slug": zone.slug,
            "name": zone.name,
            "playlist": [_playlist_item(s) for s in zone.slides],
        })
    site: dict[str, Any] = {"office": office(session)}
    hours = office_hours_json(session)
    if hours:
        site["office_hours"] = {int(day): _Flow(_Flow(_Time(t) for t in w) for w in windows)
                                for day, windows in sorted(hours.items(), key=lambda kv: int(kv[0]))}
    site["zones"] = zones
    _dump(root / "site.yaml", site)
    return count


def _playlist_item(slide: Slide) -> dict[str, Any]:
    """One playlist entry as site.yaml writes it: the schedule only where it limits."""
    notice = slide.notice
    item: dict[str, Any] = {
        ("procedure" if notice.kind == "procedure" else "law"): (notice.code or notice.slug),
        "duration": slide.duration_s,
    }
    if slide.starts_on:
        item["starts_on"] = slide.starts_on
    if slide.ends_on:
        item["ends_on"] = slide.ends_on
    if slide.weekdays:
        item["weekdays"] = _Flow(slide.weekdays)
    if slide.windows:
        item["windows"] = _Flow(_Flow(_Time(t) for t in w) for w in slide.windows)
    if slide.priority:
        item["priority"] = slide.priority
    return item


class _Dumper(yaml.SafeDumper):
    """Multi-line text (a law message's Markdown) as a `|` block, as people write it."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


class _Flow(list):
    """A short list written on one line: weekdays: [1, 2, 3], windows: [["07:30", "11:30"]]."""


class _Time(str):
    """A time of day, always quoted: unquoted, YAML 1.1 would read 11:30 as a number."""


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v,
                                                                 flow_style=True))
_Dumper.add_representer(_Time, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v,
                                                               style='"'))


def _dump(path: Path, data: Any) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def database_is_empty(session: Session) -> bool:
    return session.scalar(select(Notice.id).limit(1)) is None
