"""Content as files: export, then import into an empty database, gives back the same thing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from signage.content import export_content
from signage.playlists.service import office
from signage.resources import bundled_path
from signage.store.db import Store
from signage.store.migrate import upgrade
from signage.store.models import Notice, Zone
from signage.usecases import Actor, Change
from signage.usecases.content import import_content
from signage.usecases.notices import create_notice, delete_notice
from signage.usecases.office import change_office
from signage.usecases.playlists import replace_playlist
from signage.usecases.zones import create_zone

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CONTENT = bundled_path("content")


SYSTEM = Actor.system()


def perform(store: Store, usecase, *args: Any, actor: Actor = SYSTEM) -> Any:
    """A use case in one write transaction, as the lobby runs it (events not published)."""
    with store.write() as session:
        return usecase(Change(session, actor, NOW, UTC), *args)


def load(store: Store, folder: Path) -> dict[str, Any]:
    """`content import` of `folder`, as the first start does it."""
    return perform(store, import_content, folder)


def empty_store(path: Path) -> Store:
    store = Store(f"sqlite:///{path}")
    upgrade(store)
    return store


def everything(store: Store) -> dict[str, Any]:
    """What the database says, without ids and timestamps (which are not content)."""
    with store.read() as session:
        notices = {
            (n.kind, n.code or n.slug): {"title": n.title, "field": n.field, "status": n.status,
                                         "record": n.record}
            for n in session.scalars(select(Notice))
        }
        zones = {
            z.slug: {"name": z.name,
                     "playlist": [(s.notice.kind, s.notice.code or s.notice.slug, s.duration_s)
                                  for s in z.slides]}
            for z in session.scalars(select(Zone))
        }
        return {"notices": notices, "zones": zones, "office": office(session)}


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def roundtrip(store: Store, tmp_path: Path) -> tuple[Store, Path, Path]:
    first = tmp_path / "export-1"
    with store.read() as session:
        export_content(session, first)
    copy = empty_store(tmp_path / "copy.db")
    load(copy, first)
    second = tmp_path / "export-2"
    with copy.read() as session:
        export_content(session, second)
    return copy, first, second


def test_the_shipped_content_round_trips_exactly(tmp_path: Path):
    # Given the shipped content/ loaded into a database
    original = empty_store(tmp_path / "original.db")
    load(original, CONTENT)

    # When it is exported and imported into an empty database, and exported again
    copy, first, second = roundtrip(original, tmp_path)

    # Then the two databases hold the same content and the two exports are the same bytes
    before, after = everything(original), everything(copy)
    assert len(before["notices"]) >= 25
    assert after == before
    assert files(second) == files(first)
    assert len(list((first / "procedures").glob("*.yaml"))) >= 15
    assert len(list((first / "law").glob("*.yaml"))) >= 10


AWKWARD_PROCEDURE = {
    "kind": "procedure",
    "code": "1.000001",            # looks like a number to YAML
    "title": "Thủ tục: \"thử\" — 'nháy' # không phải chú thích",
    "field": "yes",                 # looks like a boolean to YAML 1.1
    "level": "null",
    "summary": "",
    "steps": ["Bước có dấu hai chấm: và - gạch đầu dòng", "  khoảng trắng đầu dòng bị bỏ  "],
    "channels": [{"channel": "truc_tuyen", "deadline": "03 ngày làm việc\nkể từ khi nhận",
                  "fee": "0", "note": ""}],
    "documents": [
        {"name": "Tờ khai", "form": "Mẫu 01/TK", "quantity": 2, "copy": "either",
         "required": False, "note": "Dòng một.\n\nDòng ba, sau dòng trống."},
    ],
    "legal_bases": [{"number": "60/2014/QH13", "summary": "Luật Hộ tịch", "issued": "2014-11-20",
                     "issuer": "Quốc hội"},
                    {"number": "01/2026/TT-X", "summary": "Chưa rõ ngày", "issued": None}],
    "online_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/1.000001?x=%20",
}
AWKWARD_LAW = {
    "kind": "law",
    "title": "Tiêu đề có: dấu hai chấm",
    "body": "# Đề mục\n\nĐoạn một có **đậm** và `mã`.\n\n- mục một\n- mục hai\n\n> trích dẫn",
    "legal_ref": "Điều 1",
    "ticker": "Chạy chữ: 100% miễn phí",
}


def test_awkward_text_statuses_and_playlists_round_trip_exactly(tmp_path: Path):
    # Given notices whose text YAML would misread if written carelessly, a draft, a
    # notice on no playlist, a zone showing one notice twice and a zone showing nothing
    original = empty_store(tmp_path / "original.db")
    load(original, CONTENT)
    procedure = perform(original, create_notice, AWKWARD_PROCEDURE)["id"]
    law = perform(original, create_notice, AWKWARD_LAW)["id"]
    perform(original, create_notice, {**AWKWARD_LAW, "title": "Bản nháp", "slug": "ban-nhap"},
            actor=Actor("lan", "editor"))
    perform(original, create_zone, {"slug": "quay-ho-tich", "name": "Khu hộ tịch"})
    perform(original, replace_playlist, "quay-ho-tich", {"slides": [
        {"notice_id": procedure, "duration": 45}, {"notice_id": law, "duration": 20},
        {"notice_id": procedure, "duration": 30}]})
    perform(original, create_zone, {"slug": "hanh-lang", "name": "Hành lang"})
    perform(original, change_office, {"ward_name": "Phường Khánh Bình",
                                      "office_name": "Trung tâm: số 1"})

    # When exported, imported into an empty database and exported again
    copy, first, second = roundtrip(original, tmp_path)

    # Then nothing changed on the way
    assert everything(copy) == everything(original)
    assert files(second) == files(first)
    # and the files read as people write them: Markdown as a block, not an escaped line
    text = (first / "law" / "tieu-de-co-dau-hai-cham.yaml").read_text(encoding="utf-8")
    assert "body: |" in text and "\n  - mục một\n" in text
    assert yaml.safe_load((first / "procedures" / "1.000001.yaml").read_text())["code"] == "1.000001"


def test_export_mirrors_the_database_and_removes_notice_files_it_no_longer_has(tmp_path: Path):
    # Given a folder exported before a notice was deleted, and a file of someone else's there
    store = empty_store(tmp_path / "db.db")
    load(store, CONTENT)
    folder = tmp_path / "export"
    with store.read() as session:
        export_content(session, folder)
    (folder / "README.txt").write_text("giữ lại", encoding="utf-8")
    with store.read() as session:
        gone = session.scalars(select(Notice).where(Notice.kind == "law")).first()
        gone_id, gone_file = gone.id, folder / "law" / f"{gone.slug}.yaml"
    perform(store, delete_notice, gone_id)

    # When it is exported again into the same folder
    with store.read() as session:
        count = export_content(session, folder)

    # Then the deleted notice's file is gone, the rest is there, the other file untouched
    assert not gone_file.exists()
    assert len(list(folder.glob("*/*.yaml"))) == count
    assert (folder / "README.txt").read_text(encoding="utf-8") == "giữ lại"
