"""Who is on duty at which counter (NĐ 118 Điều 9 khoản 8: the officers at the counters
are public), and who was, at any moment: a rating names the officer who served.

A duty is a row from `started_at` until `ended_at`; the open one (no end) is now. An
officer is on duty at one counter at a time and a counter has one officer at a time
(partial unique indexes hold it). Starting a duty ends the officer's duty elsewhere
and the counter's previous one. The counter's `officer` column mirrors the name of
the officer on duty there: it is what the counter has always shown (API, /admin, the
screens' panel), and an admin may still type a name there for someone without a
profile (then nobody is on duty in this table).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from signage.store.models_evaluation import Officer, OfficerDuty
from signage.store.models_queue import QueueCounter


def open_duty(session: Session, counter_id: int) -> OfficerDuty | None:
    """The duty at this counter now, if anybody is on duty there."""
    return session.scalar(select(OfficerDuty).where(OfficerDuty.counter_id == counter_id,
                                                    OfficerDuty.ended_at.is_(None)))


def duty_of(session: Session, officer_id: int) -> OfficerDuty | None:
    """Where this officer is on duty now, if anywhere."""
    return session.scalar(select(OfficerDuty).where(OfficerDuty.officer_id == officer_id,
                                                    OfficerDuty.ended_at.is_(None)))


def _end(session: Session, duty: OfficerDuty, now: datetime) -> None:
    duty.ended_at = now
    counter = session.get(QueueCounter, duty.counter_id)
    if counter is not None:
        counter.officer = None


def start_duty(session: Session, officer: Officer, counter: QueueCounter, now: datetime,
               actor: str | None = None) -> OfficerDuty:
    """Put `officer` on duty at `counter` from `now`; whoever was there, and wherever
    the officer was, is ended. Starting the duty the officer already has changes nothing."""
    current = open_duty(session, counter.id)
    if current is not None and current.officer_id == officer.id:
        counter.officer = officer.name
        return current
    for duty in (current, duty_of(session, officer.id)):
        if duty is not None:
            _end(session, duty, now)
    session.flush()  # the ended rows leave the partial unique indexes first
    duty = OfficerDuty(officer_id=officer.id, counter_id=counter.id, started_at=now,
                       started_by=actor)
    session.add(duty)
    counter.officer = officer.name
    session.flush()
    return duty


def end_duty(session: Session, counter: QueueCounter, now: datetime) -> OfficerDuty | None:
    """Nobody is on duty at `counter` from `now` (the ended duty, or None)."""
    duty = open_duty(session, counter.id)
    if duty is not None:
        _end(session, duty, now)
    counter.officer = None
    return duty


def officer_named(session: Session, name: str) -> Officer | None:
    """The active officer with exactly this name (the first made, if several)."""
    return session.scalar(select(Officer).where(Officer.name == name, Officer.active.is_(True))
                          .order_by(Officer.id).limit(1))


def counter_officer_typed(session: Session, counter: QueueCounter, name: str | None,
                          now: datetime, actor: str | None = None) -> None:
    """An admin typed the counter's officer (or cleared it): the officer of that name
    goes on duty there; a name without a profile ends the duty and stays as text."""
    officer = officer_named(session, name) if name else None
    if officer is not None:
        start_duty(session, officer, counter, now, actor)
        return
    current = open_duty(session, counter.id)
    if current is not None:
        _end(session, current, now)
    counter.officer = name


def officer_at(session: Session, counter_id: int, moment: datetime) -> Officer | None:
    """The officer on duty at this counter at `moment` (None: nobody with a profile)."""
    return session.scalar(
        select(Officer).join(OfficerDuty, OfficerDuty.officer_id == Officer.id)
        .where(OfficerDuty.counter_id == counter_id, OfficerDuty.started_at <= moment,
               or_(OfficerDuty.ended_at.is_(None), OfficerDuty.ended_at > moment))
        .order_by(OfficerDuty.started_at.desc()).limit(1))


def on_duty(session: Session) -> dict[int, Officer]:
    """Counter id → the officer on duty there now."""
    rows = session.execute(select(OfficerDuty.counter_id, Officer)
                           .join(Officer, Officer.id == OfficerDuty.officer_id)
                           .where(OfficerDuty.ended_at.is_(None))).all()
    return {counter_id: officer for counter_id, officer in rows}


def duties_between(session: Session, start: datetime, end: datetime) -> list[OfficerDuty]:
    """Every duty that overlaps [start, end), oldest first (reports per officer)."""
    return list(session.scalars(
        select(OfficerDuty).where(OfficerDuty.started_at < end,
                                  or_(OfficerDuty.ended_at.is_(None),
                                      OfficerDuty.ended_at > start))
        .order_by(OfficerDuty.started_at)))
