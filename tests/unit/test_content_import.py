"""content/ as files: the shipped set loads; a bad file stops the import and writes nothing."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from signage.accounts.audit import AuditQuery, find_entries
from signage.content import ContentError
from signage.events import NoticeChanged, PlaylistChanged
from signage.notices import workflow
from signage.resources import bundled_path
from signage.store.models import Notice, Slide
from signage.store.models_revisions import NoticeRevision
from signage.usecases import Actor, Change
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


def test_the_first_start_writes_each_notices_history_and_audit_as_system(lobby):
    with lobby.store.read() as session:
        revisions = list(session.scalars(select(NoticeRevision)))
        notices = session.scalar(select(func.count()).select_from(Notice))
        entries = find_entries(session, AuditQuery(), limit=1000)[0]
    assert len(revisions) == notices
    assert {(r.number, r.status, r.author) for r in revisions} == {(1, "approved", "system")}
    by_action: dict[str, int] = {}
    for e in entries:
        assert e.actor == "system"
        by_action[e.action] = by_action.get(e.action, 0) + 1
    assert by_action == {"notice.create": notices, "notice.publish": notices,
                         "zone.create": 1, "notice.schedule": 1, "office.update": 1,
                         "queue.seed": 1}  # the queue's services and counters, one entry


def test_an_import_through_the_use_cases_writes_revisions_audit_and_the_events_screens_need(
        lobby, tmp_path: Path):
    # Given the shipped folder with one procedure's title changed and a new law message
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    changed = sorted((folder / "procedures").glob("*.yaml"))[0]
    text = changed.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    changed.write_text(text.replace(title, 'title: "Tên thủ tục đã sửa"'), encoding="utf-8")
    (folder / "law" / "zz-moi.yaml").write_text(
        'title: "Thông điệp mới"\nbody: "Nội dung."\nticker: "Chữ chạy mới."\n',
        encoding="utf-8")
    # (on the lobby's playlist too: it lists its items)
    site = folder / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "      - law: thong-diep-moi\n",
                    encoding="utf-8")

    # When the CLI imports it
    with lobby.store.write() as session:
        change = Change(session, Actor.cli(), lobby.clock.now(), lobby.clock.tz)
        report = import_content(change, folder)
        events = change.events

    # Then the changed notice has a new approved revision by "cli", the new one its first,
    # each audited as a save by hand would be
    assert (report["created"], report["updated"]) == (1, 1)
    with lobby.store.read() as session:
        edited = session.scalar(select(Notice).where(Notice.title == "Tên thủ tục đã sửa"))
        new = session.scalar(select(Notice).where(Notice.slug == "thong-diep-moi"))
        cli = find_entries(session, AuditQuery(actor="cli"))[0]
        assert [(r.number, r.status, r.author) for r in workflow.revisions(session, edited.id)] \
            == [(1, "approved", "system"), (2, "approved", "cli")]
        assert edited.version == 2 and new.status == "approved"
    assert sorted((e.action, e.target) for e in cli) == sorted([
        ("notice.update", f"notice:{edited.id}"), ("notice.publish", f"notice:{edited.id}"),
        ("notice.create", f"notice:{new.id}"), ("notice.publish", f"notice:{new.id}"),
        ("notice.schedule", "zone:sanh-chinh")])
    # And what the screens must hear: the changed slide, the lobby's new playlist
    assert NoticeChanged(edited.id) in events
    assert PlaylistChanged(("sanh-chinh",)) in events


def test_a_bad_field_in_a_file_is_named_with_the_file_and_the_field_by_the_cli(runner, tmp_path):
    folder = tmp_path / "content"
    (folder / "procedures").mkdir(parents=True)
    (folder / "procedures" / "x.yaml").write_text(
        'code: "1.5"\ntitle: "Thủ tục"\nfield: "Hộ tịch"\nchannels: []\n'
        'documents: [{name: "Tờ khai", copy: "photo"}]\n', encoding="utf-8")
    result = runner.invoke("content", "import", str(folder))
    assert result.exit_code == 2
    assert "procedures/x.yaml: Cách thức thực hiện: phải có ít nhất 1 mục." in result.output
    assert "Thành phần hồ sơ › mục 1 › Bản chính/bản sao: phải là original" in result.output
