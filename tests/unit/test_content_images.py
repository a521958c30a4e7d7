"""Content export/import carries the uploaded pictures the notices use (images/): export
then import into a fresh data dir gives the same state, pictures byte for byte; a picture
an upload would refuse stops the import and nothing is written."""

from __future__ import annotations

import hashlib
import io
import shutil
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from sqlalchemy import select

from signage.accounts.audit import AuditQuery, find_entries
from signage.content import ContentError, export_content
from signage.playlists.service import office_hours_json
from signage.resources import bundled_path
from signage.store.db import Store
from signage.store.models import Notice
from signage.usecases import Actor, Change
from signage.usecases.content import import_content
from signage.usecases.images import upload_image
from signage.usecases.notices import create_notice, update_notice
from signage.usecases.playlists import replace_playlist
from tests.unit.test_content_roundtrip import NOW, SYSTEM, empty_store, everything, files

CONTENT = bundled_path("content")
LIMIT = 5 * 1024 * 1024


class Ward:
    """One instance: its database and its data dir (where uploaded pictures live)."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True)
        self.data_dir = root
        self.store: Store = empty_store(root / "signage.db")

    def perform(self, usecase, *args: Any, actor: Actor = SYSTEM) -> Any:
        with self.store.write() as session:
            return usecase(Change(session, actor, NOW, UTC, data_dir=self.data_dir), *args)

    def export(self, folder: Path) -> int:
        with self.store.read() as session:
            return export_content(session, folder, self.data_dir)

    def state(self) -> dict[str, Any]:
        """Notices, playlists, office and its hours, and every stored picture's bytes."""
        with self.store.read() as session:
            hours = office_hours_json(session)
        pictures = {p.name: p.read_bytes() for p in sorted((self.data_dir / "images").glob("*"))
                    } if (self.data_dir / "images").is_dir() else {}
        return {**everything(self.store), "office_hours": hours, "pictures": pictures}

    def pictures(self) -> list[str]:
        folder = self.data_dir / "images"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def photo(fmt: str = "JPEG", size=(640, 480), **save: Any) -> bytes:
    image = Image.new("RGB", size, (20, 90, 160))
    for x in range(size[0]):
        image.putpixel((x, x % size[1]), (250, 200, 0))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def ward_with_pictures(root: Path) -> tuple[Ward, list[str]]:
    """The shipped content, a shipped law message given an uploaded JPEG, a new one with a
    PNG on a playlist, and a picture uploaded but used by no notice."""
    ward = Ward(root)
    ward.perform(import_content, CONTENT)
    jpeg = ward.perform(upload_image, photo("JPEG"), LIMIT)["url"]
    png = ward.perform(upload_image, photo("PNG", (300, 200)), LIMIT)["url"]
    ward.perform(upload_image, photo("WEBP", (120, 90)), LIMIT)
    with ward.store.read() as session:
        law = session.scalars(select(Notice).where(Notice.kind == "law").order_by(Notice.id)
                              ).first()
        law_id, record, version = law.id, dict(law.record), law.version
    ward.perform(update_notice, law_id, {**record, "image": jpeg, "version": version})
    new = ward.perform(create_notice, {"kind": "law", "title": "Ảnh tuyên truyền mới",
                                       "body": "Nội dung có ảnh.", "image": png})["id"]
    ward.perform(replace_playlist, "sanh-chinh", {"slides": [{"notice_id": new,
                                                              "duration": 20}]})
    return ward, [jpeg.rsplit("/", 1)[1], png.rsplit("/", 1)[1]]


def test_all_the_shipped_content_and_its_pictures_round_trip_into_a_fresh_data_dir(
        tmp_path: Path):
    # Given the shipped content with uploaded pictures in use (and one in use nowhere)
    original, used = ward_with_pictures(tmp_path / "ward-a")

    # When it is exported, imported into a fresh instance and exported again
    first, second = tmp_path / "export-1", tmp_path / "export-2"
    count = original.export(first)
    copy = Ward(tmp_path / "ward-b")
    report = copy.perform(import_content, first)
    copy.export(second)

    # Then the export carries exactly the pictures the notices use, named by their hash
    assert sorted(p.name for p in (first / "images").iterdir()) == sorted(used)
    for name in used:
        content = (first / "images" / name).read_bytes()
        assert name.split(".")[0] == hashlib.sha256(content).hexdigest()[:32]
    # and the fresh instance has the same notices, playlists, office, hours and pictures
    before, after = original.state(), copy.state()
    assert len(after["notices"]) == count >= 26
    assert report["images"] == 2
    assert {k: v for k, v in after.items() if k != "pictures"} == \
        {k: v for k, v in before.items() if k != "pictures"}
    assert after["pictures"] == {n: before["pictures"][n] for n in used}
    # and exporting it again writes the same bytes, pictures included
    assert files(second) == files(first)
    assert {p.name: p.read_bytes() for p in (second / "images").iterdir()} == \
        {p.name: p.read_bytes() for p in (first / "images").iterdir()}
    # and each restored picture is audited once; a second import changes nothing
    with copy.store.read() as session:
        imported = find_entries(session, AuditQuery(action="image.import"))[0]
    assert sorted(e.target for e in imported) == sorted(f"/images/{n}" for n in used)
    again = copy.perform(import_content, first)
    assert (again["created"], again["updated"], again["images"]) == (0, 0, 0)


def test_an_export_from_before_pictures_travelled_still_loads(tmp_path: Path):
    # Given an export without images/ (as before), of content naming no uploaded picture
    ward = Ward(tmp_path / "ward-a")
    ward.perform(import_content, CONTENT)
    folder = tmp_path / "export"
    ward.export(folder)
    shutil.rmtree(folder / "images")

    # When it is imported into a fresh instance, the content is the same and no picture
    copy = Ward(tmp_path / "ward-b")
    copy.perform(import_content, folder)
    assert copy.state() == ward.state()
    assert copy.pictures() == []


def test_export_mirrors_the_pictures_in_use(tmp_path: Path):
    # Given an export holding a picture that a notice no longer uses, and a stranger's file
    ward, used = ward_with_pictures(tmp_path / "ward-a")
    folder = tmp_path / "export"
    ward.export(folder)
    (folder / "images" / "ghi-chu.txt").write_text("giữ lại", encoding="utf-8")
    with ward.store.read() as session:
        notice = session.scalar(select(Notice).where(Notice.slug == "anh-tuyen-truyen-moi"))
        record, version = dict(notice.record), notice.version
        notice_id = notice.id
    ward.perform(update_notice, notice_id, {**record, "image": "", "version": version})

    # When exported again into the same folder
    ward.export(folder)

    # Then only the picture still used is there, and the other file is left alone
    assert sorted(p.name for p in (folder / "images").iterdir()) == [used[0], "ghi-chu.txt"]


def exported(tmp_path: Path) -> tuple[Ward, Path]:
    ward, _ = ward_with_pictures(tmp_path / "ward-a")
    folder = tmp_path / "export"
    ward.export(folder)
    return ward, folder


def named_by_hash(folder: Path, content: bytes, ext: str) -> str:
    name = f"{hashlib.sha256(content).hexdigest()[:32]}.{ext}"
    (folder / "images" / name).write_bytes(content)
    return name


def bad_html(folder: Path) -> str:
    return named_by_hash(folder, b"<html><script>alert(1)</script></html>", "png")


def bad_exif(folder: Path) -> str:
    exif = Image.Exif()
    exif[0x8825] = {2: (10.0, 45.0, 0.0)}  # GPS latitude
    exif[0x010E] = "Ảnh chụp tại nhà riêng"
    return named_by_hash(folder, photo("JPEG", exif=exif.tobytes()), "jpg")


def bad_edited(folder: Path) -> str:
    # an exported picture changed after the export: its name no longer is its hash
    picture = sorted((folder / "images").iterdir())[0]
    picture.write_bytes(photo("JPEG", (64, 64)))
    return picture.name


def bad_oversized(folder: Path) -> str:
    return named_by_hash(folder, photo("PNG", (1200, 1200)) + b"\0" * LIMIT, "png")


def bad_too_big_a_side(folder: Path) -> str:
    return named_by_hash(folder, photo("PNG", (2400, 100)), "png")


@pytest.mark.parametrize("spoil, reason", [
    (bad_html, "không phải ảnh JPEG, PNG hoặc WebP"),
    (bad_exif, "siêu dữ liệu"),
    (bad_edited, "mã băm nội dung"),
    (bad_oversized, "Ảnh quá lớn: tối đa 5 MB."),
    (bad_too_big_a_side, "lớn hơn 1920 điểm ảnh"),
])
def test_a_picture_an_upload_would_refuse_stops_the_import_and_nothing_is_written(
        tmp_path: Path, spoil, reason):
    # Given an export with one picture spoilt
    _, folder = exported(tmp_path)
    name = spoil(folder)
    fresh = Ward(tmp_path / "ward-b")
    before = fresh.state()

    # When it is imported into a fresh instance
    with pytest.raises(ContentError) as error:
        fresh.perform(import_content, folder, LIMIT)

    # Then the error names the file and why, and nothing was written: no notice, no picture
    assert f"images/{name}" in str(error.value)
    assert reason in str(error.value)
    assert fresh.state() == before
    assert fresh.pictures() == []


def test_a_failure_after_the_pictures_were_restored_takes_them_back(tmp_path: Path):
    # Given an export whose pictures are fine but whose site.yaml names a missing notice
    _, folder = exported(tmp_path)
    site = folder / "site.yaml"
    data = yaml.safe_load(site.read_text(encoding="utf-8"))
    data["zones"][-1]["playlist"].append({"law": "khong-co-thong-diep-nay"})
    site.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    fresh = Ward(tmp_path / "ward-b")

    # When it is imported, it stops on the playlist
    with pytest.raises(ContentError, match="không tìm thấy law 'khong-co-thong-diep-nay'"):
        fresh.perform(import_content, folder)

    # and the pictures it had restored are gone again, as the notices are
    assert fresh.pictures() == []
    assert everything(fresh.store)["notices"] == {}
