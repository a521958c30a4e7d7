"""Content as files: `content/` is loaded into an empty database on first serve, and by
`signage content import PATH`; `signage content export PATH` writes the same layout.

    site.yaml              office (ward name …), office hours (optional) and zones with
                           their playlists; a playlist item may carry a schedule
    procedures/*.yaml      one procedure notice per file (schema: signage.notices.schema)
    law/*.yaml             one law-outreach message per file
    results/*.yaml         one results slide (kết quả đánh giá sự hài lòng) per file
    images/<hash>.<ext>    the uploaded pictures the notices use (`image: /images/<hash>.<ext>`),
                           byte for byte as the server stores them (optional: a folder
                           without it, e.g. an export from before pictures travelled, loads)

Import (signage.usecases.content) is an upsert keyed by procedure code and law slug,
in one transaction, through the same use cases as the API: each new or changed notice
is a revision (approved, unless the file says `status: draft|review|rejected`), the
office, its hours and each zone's playlist are changed by their own use cases, every
change is audited (actor "cli" from `signage content import`, "system" on first start)
and its events are published, so connected screens get it. This module reads and
checks the folder first (`read_folder`, with the API's models): a file that does not
validate stops the import with its name, the field and the reason (ContentError), and
nothing is written. Each picture in images/ is checked as an upload is (Pillow opens it
as JPEG, PNG or WebP, within SIGNAGE_IMAGE_MAX_BYTES and the pixel limit) and must be what
a server stored: named by its content hash, without metadata
(signage.notices.images.stored_as_is); it is then restored under the same name, so the
notices' `image` paths hold.

Export then import into an empty database gives back the same notices (records and
status), office, office hours and zones with their playlists (order, durations and
schedules), and exporting
that database again writes the same files byte for byte
(tests/unit/test_content_roundtrip.py, test_content_schedules.py, test_content_images.py).
Export mirrors: notice files in procedures/, law/ and results/ that the database no longer
has are removed, and so are pictures in images/ no exported notice uses.

Schedules in site.yaml (all optional; see signage/playlists/schedules.py):

    office_hours:                  # absent: left as it is; null: no office hours
      1: [["07:30", "11:30"], ["13:30", "17:00"]]     # ISO weekday: 1 = Thứ Hai … 7 = Chủ Nhật
    zones:
      - slug: sanh-chinh
        playlist:
          - procedure: 1.001193
            duration: 30            # absent: the time its pages need (signage/notices/timing.py)
            starts_on: 2026-12-01   # ends_on, inclusive
            weekdays: [1, 2, 3, 4, 5]
            windows: [["07:30", "11:30"]]
            priority: 5
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid, Msg, SignageError, Translate, fill
from signage.notices.images import (
    NAME,
    URL_PREFIX,
    ImageFolder,
    Picture,
    stored_as_is,
    too_large,
)
from signage.notices.schema import Record, parse_notice
from signage.playlists.service import DEFAULT_ZONE, DEFAULT_ZONE_NAME, office, office_hours_json
from signage.store.models import Notice, Slide, Zone

STATUSES = ("approved", "draft", "review", "rejected")
ABSENT: Any = object()


def _same(message: str) -> str:
    return message


class ContentError(Invalid):
    """A content file that cannot be loaded: it names the file, where in it (`where`,
    e.g. "office_hours"), and what is wrong (the field problems of the same models the
    API validates with, or a message)."""

    code = "content_invalid"

    def __init__(self, file: str, message: str | None = None, *, where: str | Msg | None = None,
                 fields: Any = (), **params: Any) -> None:
        self.file, self.where = file, where
        super().__init__(message, fields=fields, **params)

    def text(self, translate: Translate = _same) -> str:
        parts = [self.file]
        if self.where is not None:
            parts.append(self.where.text(translate) if isinstance(self.where, Msg)
                         else str(self.where))
        if self.message is not None or not self.fields:
            parts.append(fill(self.message or N_("không hợp lệ."), self.params, translate))
        else:
            parts.append("; ".join(p.text(translate) for p in self.fields))
        return ": ".join(parts)


# Sub-folder -> the kind of notice its files hold.
FOLDERS = {"procedures": "procedure", "law": "law", "results": "results"}
FOLDER_OF = {kind: sub for sub, kind in FOLDERS.items()}
IMAGES = "images"


@dataclass
class NoticeFile:
    """One notice file: its name (relative to the folder), record and status."""

    name: str
    record: Record
    status: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.record.kind,
                self.record.code if self.record.kind == "procedure" else self.record.slug)


@dataclass
class ZoneSpec:
    """A zone as site.yaml lists it; `playlist` is "auto" or its items as written."""

    slug: str
    name: str | None
    playlist: Any = "auto"


@dataclass
class ContentFolder:
    """What a content folder says, read and checked, before anything is written."""

    notices: list[NoticeFile] = field(default_factory=list)
    office: dict[str, Any] | None = None
    office_hours: Any = ABSENT      # ABSENT: left as it is; None: no office hours
    zones: list[ZoneSpec] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)  # images/, checked


# A content file is a page of text; anything larger is not one of ours.
MAX_FILE_BYTES = 512 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: nobody writes them by hand in a notice, and a
    few nested aliases expand a small file into gigabytes (one made a 6.2 MB snapshot
    per screen)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in content files",
                event.start_mark)
        return super().compose_node(parent, index)


def _regular_file(path: Path, name: str) -> None:
    """A plain file inside the folder: never a link (which could point anywhere)."""
    if path.is_symlink() or not path.is_file():
        raise ContentError(name, N_("phải là một tệp thường, không phải liên kết (symlink)."))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ContentError(name, N_("tệp quá lớn (tối đa %(n)s KB)."), n=MAX_FILE_BYTES // 1024)


def _load_yaml(path: Path, name: str) -> Any:
    _regular_file(path, name)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLoader)  # noqa: S506
    except UnicodeDecodeError:
        raise ContentError(name, N_("phải là văn bản UTF-8.")) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ContentError(name, N_("YAML không hợp lệ: %(error)s"), error=str(exc)[:300]) from None


def _read_notices(root: Path) -> list[NoticeFile]:
    found: list[NoticeFile] = []
    seen: dict[tuple[str, str], str] = {}
    for sub, kind in FOLDERS.items():
        if (root / sub).is_symlink():
            raise ContentError(sub, N_("phải là một thư mục thường, không phải liên kết "
                                       "(symlink)."))
        for path in sorted((root / sub).glob("*.y*ml")):
            name = f"{sub}/{path.name}"
            data = _load_yaml(path, name)
            status = "approved"
            if isinstance(data, dict):
                data.setdefault("kind", kind)
                status = data.pop("status", None) or "approved"
                if status not in STATUSES:
                    raise ContentError(name, fields=[FieldProblem(
                        "status", N_("phải là approved, draft, review hoặc rejected."),
                        labels=(N_("Trạng thái"),))])
            try:
                record = parse_notice(data)
            except Invalid as exc:
                raise ContentError(name, exc.message, fields=exc.fields, **exc.params) from None
            notice = NoticeFile(name, record, status)
            if notice.key in seen:
                what = N_("Mã thủ tục") if record.kind == "procedure" else N_("Mã định danh")
                raise ContentError(name, N_("%(what)s %(key)s đã có ở tệp %(other)s."),
                                   what=Msg(what), key=notice.key[1], other=seen[notice.key])
            seen[notice.key] = name
            found.append(notice)
    return found


def _zones(site: dict[str, Any]) -> list[ZoneSpec]:
    # No `zones` key: one lobby zone showing everything. `zones: []` (an export of a
    # database without zones) means none.
    zones = site.get("zones")
    if zones is None:
        return [ZoneSpec(DEFAULT_ZONE, DEFAULT_ZONE_NAME)]
    if not isinstance(zones, list) or not all(isinstance(z, dict) and z.get("slug")
                                              for z in zones):
        raise ContentError("site.yaml", N_("zones phải là danh sách khu vực, mỗi khu vực có "
                                           "slug (và name, playlist)."), where="zones")
    return [ZoneSpec(str(z["slug"]), z.get("name"), z.get("playlist", "auto")) for z in zones]


def _read_pictures(root: Path, max_bytes: int) -> list[Picture]:
    """images/: each file checked as an upload is and as the server stores it."""
    folder = root / IMAGES
    if folder.is_symlink():
        raise ContentError(IMAGES, N_("phải là một thư mục thường, không phải liên kết "
                                      "(symlink)."))
    if not folder.is_dir():
        return []
    pictures = []
    for path in sorted(folder.iterdir()):
        name = f"{IMAGES}/{path.name}"
        if path.is_symlink() or not path.is_file():
            raise ContentError(name, N_("phải là một tệp thường, không phải liên kết (symlink)."))
        try:
            if path.stat().st_size > max_bytes:  # not read at all
                raise too_large(max_bytes)
            pictures.append(stored_as_is(path.name, path.read_bytes(), max_bytes))
        except SignageError as exc:
            raise ContentError(name, exc.message, **exc.params) from None
    return pictures


def read_folder(root: Path, image_max_bytes: int = 5 * 1024 * 1024) -> ContentFolder:
    """Read and check a content folder (every notice file validated with the API's
    models, every picture as an upload is); raises ContentError naming the file. Writes
    nothing."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(str(root), N_("không phải là thư mục."))
    site: Any = _load_yaml(root / "site.yaml", "site.yaml") if (root / "site.yaml").exists() else {}
    site = site or {}
    if not isinstance(site, dict):
        raise ContentError("site.yaml", N_("cần các mục office, office_hours, zones."))
    folder = ContentFolder(notices=_read_notices(root), zones=_zones(site),
                           pictures=_read_pictures(root, image_max_bytes))
    if site.get("office"):
        folder.office = site["office"]
    if "office_hours" in site:
        folder.office_hours = _yaml_times(site["office_hours"])
    return folder


def playlist_item(item: Any, zone: str, n: int) -> tuple[str, str, dict[str, Any]]:
    """A site.yaml playlist item: (kind, key, the entry's other fields with times read
    as times). Raises ContentError when it names neither a procedure nor a law message."""
    kind = next((k for k in FOLDERS.values() if isinstance(item, dict) and k in item), None)
    if kind is None:
        raise ContentError("site.yaml", N_("mục này phải có 'procedure', 'law' hoặc 'results'."),
                           where=Msg(N_("khu vực %(zone)s, mục %(n)s"), {"zone": zone, "n": n}))
    entry = {k: v for k, v in item.items() if k != kind}
    if "windows" in entry:
        entry["windows"] = _yaml_times(entry["windows"])
    return kind, str(item[kind]), entry


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


def export_content(session: Session, root: Path, data_dir: Path | None = None) -> int:
    """Write every notice, the office, the zones' playlists and the uploaded pictures the
    notices use (from `data_dir`'s images/) as files. Returns the count of notices.

    The folder then holds exactly the database's notices: older notice files in
    procedures/, law/ and results/, and pictures in images/ no notice uses, are removed
    (other files are left alone). A picture a notice names but `data_dir` lacks is not
    written (an import then names it: `image_missing`).
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    if (root / "site.yaml").is_symlink():  # refused before anything is written
        raise ContentError("site.yaml", N_("phải là một tệp thường, không phải liên kết "
                                           "(symlink)."))
    for sub in (*FOLDERS, IMAGES):
        if (root / sub).is_symlink():
            raise ContentError(sub, N_("phải là một thư mục thường, không phải liên kết "
                                       "(symlink)."))
        (root / sub).mkdir(exist_ok=True)
    written: set[Path] = set()
    pictures: set[str] = set()
    for notice in session.scalars(select(Notice).order_by(Notice.id)):
        record = {k: v for k, v in notice.record.items() if k != "kind"}
        image = str(record.get("image") or "")
        if image.startswith(URL_PREFIX):
            pictures.add(image[len(URL_PREFIX):])
        if notice.status != "approved":
            record["status"] = notice.status
        name = f"{FOLDER_OF[notice.kind]}/{notice.code or notice.slug}.yaml"
        _dump(root, name, record)
        written.add(root / name)
    for sub in FOLDERS:
        for stale in (root / sub).glob("*.y*ml"):
            if stale not in written and not stale.is_symlink():
                stale.unlink()
    count = len(written)
    _export_pictures(root, pictures, ImageFolder(data_dir))
    zones = []
    for zone in session.scalars(select(Zone).order_by(Zone.id)):
        zones.append({
            "slug": zone.slug,
            "name": zone.name,
            "playlist": [_playlist_item(s) for s in zone.slides],
        })
    site: dict[str, Any] = {"office": {k: v for k, v in office(session).items() if v}}
    hours = office_hours_json(session)
    if hours:
        site["office_hours"] = {int(day): _Flow(_Flow(_Time(t) for t in w) for w in windows)
                                for day, windows in sorted(hours.items(), key=lambda kv: int(kv[0]))}
    site["zones"] = zones
    _dump(root, "site.yaml", site)
    return count


def _export_pictures(root: Path, names: set[str], stored: ImageFolder) -> None:
    """Copy the pictures `names` from the data dir into images/ (byte for byte, once) and
    remove the pictures there no notice uses any more."""
    kept: set[str] = set()
    for name in sorted(names):
        source = stored.file(name)
        if source is None:
            continue
        target = f"{IMAGES}/{name}"
        kept.add(name)
        if not (root / target).is_symlink() and (root / target).is_file() \
                and (root / target).stat().st_size == source.stat().st_size:
            continue  # same name, same size: the same content (the name is its hash)
        _write(root, target, source.read_bytes())
    for stale in (root / IMAGES).iterdir():
        if NAME.match(stale.name) and stale.name not in kept and not stale.is_symlink():
            stale.unlink()


def _playlist_item(slide: Slide) -> dict[str, Any]:
    """One playlist entry as site.yaml writes it: the schedule only where it limits."""
    notice = slide.notice
    item: dict[str, Any] = {
        notice.kind: (notice.code or notice.slug),
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


def _dump(root: Path, name: str, data: Any) -> None:
    """Write `root/name`, only inside `root` and never through a link: an export must
    not overwrite a file elsewhere because somebody left a symlink in the folder."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    _write(root, name, text.encode("utf-8"))


def _write(root: Path, name: str, content: bytes) -> None:
    path = root / name
    if path.is_symlink():
        raise ContentError(name, N_("phải là một tệp thường, không phải liên kết (symlink)."))
    if not path.resolve().is_relative_to(root.resolve()):
        raise ContentError(name, N_("nằm ngoài thư mục xuất."))
    # O_NOFOLLOW: a link made between the check and the write is refused too.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)


def database_is_empty(session: Session) -> bool:
    return session.scalar(select(Notice.id).limit(1)) is None
