"""content/ as files: the shipped set loads; a bad file stops the import and writes nothing."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from signage.content import ContentError
from signage.resources import bundled_path
from signage.store.models import Notice, Slide
from signage.usecases import Actor
from signage.usecases.content import import_content

CONTENT = bundled_path("content")


def count(lobby, kind: str) -> int:
    with lobby.store.read() as session:
        return session.scalar(select(func.count()).where(Notice.kind == kind))


def test_the_shipped_content_is_loaded_on_first_start(lobby):
    # (the `app` fixture runs the same first-start path as `signage serve`)
    assert count(lobby, "procedure") >= 5
    assert count(lobby, "law") >= 5
    with lobby.store.read() as session:
        slides = session.scalar(select(func.count()).select_from(Slide))
        notices = session.scalar(select(func.count()).select_from(Notice))
    assert slides == notices  # `playlist: auto` puts every notice on the lobby's playlist


def test_every_shipped_procedure_has_what_a_citizen_needs(lobby):
    with lobby.store.read() as session:
        for notice in session.scalars(select(Notice).where(Notice.kind == "procedure")):
            record = notice.record
            assert record["code"] and record["title"] and record["field"]
            assert record["documents"], f"{record['code']} lists no dossier items"
            assert record["channels"], f"{record['code']} has no channel with deadline and fee"
            assert record["legal_bases"], f"{record['code']} has no legal basis"


def test_importing_the_same_folder_twice_changes_nothing(lobby):
    report = lobby.perform(import_content, Actor.cli(), CONTENT)
    assert (report["created"], report["updated"]) == (0, 0)


def test_a_file_that_does_not_validate_stops_the_import_and_names_the_file(lobby, tmp_path: Path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    bad = folder / "procedures" / "zz-bad.yaml"
    bad.write_text('code: "1.234567"\ntitle: ""\nfield: "Hộ tịch"\n', encoding="utf-8")
    new_law = folder / "law" / "aa-moi.yaml"
    new_law.write_text('title: "Thông điệp mới"\nbody: "Nội dung."\n', encoding="utf-8")
    before = count(lobby, "law")

    with pytest.raises(ContentError) as error:
        lobby.perform(import_content, Actor.cli(), folder)

    assert "zz-bad.yaml" in str(error.value)
    assert "Tên: không được để trống." in str(error.value)
    assert count(lobby, "law") == before  # the valid new file was not written either


def test_broken_yaml_is_reported_with_its_file_name(lobby, tmp_path: Path):
    folder = tmp_path / "content"
    (folder / "law").mkdir(parents=True)
    (folder / "law" / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="broken.yaml"):
        lobby.perform(import_content, Actor.cli(), folder)
