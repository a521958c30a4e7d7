"""Migration 0006: every notice already in a database gets its history started, and the
workflow's queries run, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import insert, select

from signage.notices import workflow
from signage.store import Store
from signage.store.migrate import upgrade
from signage.store.models import Notice
from signage.store.models_revisions import NoticeRevision
from signage.usecases import Actor, Change, notices

PG_ADMIN = "postgresql://127.0.0.1:5432/test"
T0 = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
LAW = {"kind": "law", "slug": "giu-trat-tu", "title": "Giữ trật tự", "body": "Nội dung.",
       "legal_ref": "", "image": "", "ticker": ""}


def workflow_runs(store: Store) -> None:
    """The workflow's queries on this database: save, submit, approve, lists, history."""
    editor, approver = Actor("lan", "editor"), Actor("hoa", "approver")
    with store.write() as session:
        nid = session.scalar(select(Notice.id).where(Notice.slug == "giu-trat-tu"))
        notices.update_notice(Change(session, editor, T0, UTC),
                              nid, {**LAW, "title": "Giữ trật tự chung"}, submit=True)
    with store.read() as session:
        assert [n.id for n in workflow.list_notices(session, status="review")[0]] == [nid]
        assert [n.id for n, _ in workflow.review_queue(session)] == [nid]
    with store.write() as session:
        notices.approve_notice(Change(session, approver, T0, UTC), nid)
    with store.read() as session:
        assert session.get(Notice, nid).title == "Giữ trật tự chung"
        assert workflow.list_notices(session, status="review")[0] == []
        assert [r.number for r in workflow.revisions(session, nid)] == [1, 2]


def backfilled(url: str) -> list[tuple]:
    # Given a database at the foundation revision with an approved and a draft notice
    store = Store(url)
    try:
        upgrade(store, "0001")
        with store.write() as session:
            session.execute(insert(Notice.__table__), [
                {"kind": "law", "title": "Giữ trật tự", "slug": "giu-trat-tu", "record": LAW,
                 "status": "approved", "version": 3, "created_at": T0, "updated_at": T0},
                {"kind": "law", "title": "Nháp", "slug": "nhap",
                 "record": {**LAW, "slug": "nhap", "title": "Nháp"}, "status": "draft",
                 "version": 1, "created_at": T0, "updated_at": T0},
            ])
        # When it is upgraded
        upgrade(store)
        with store.read() as session:
            rows = session.execute(
                select(NoticeRevision.notice_id, NoticeRevision.number, NoticeRevision.status,
                       NoticeRevision.author, NoticeRevision.decided_by, NoticeRevision.record)
                .order_by(NoticeRevision.notice_id)).all()
            notice = session.scalar(select(Notice).where(Notice.slug == "giu-trat-tu"))
            live = workflow.live_number(session, notice)
        workflow_runs(store)
        return [(*r[:5], r[5]["title"]) for r in rows] + [("live", live)]
    finally:
        store.dispose()


EXPECTED = [(1, 1, "approved", "system", "system", "Giữ trật tự"),
            (2, 1, "draft", "system", None, "Nháp"),
            ("live", 1)]


def test_existing_notices_get_their_first_revision_on_sqlite(tmp_path):
    assert backfilled(f"sqlite:///{tmp_path / 'old.db'}") == EXPECTED


@pytest.mark.postgres
def test_existing_notices_get_their_first_revision_on_postgresql():
    name = f"signage_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        assert backfilled(f"postgresql://127.0.0.1:5432/{name}") == EXPECTED
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
