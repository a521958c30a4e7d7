"""`content import`: a content folder (signage.content) brought into the database through
the same use cases as the API, in one transaction.

Every notice file that is new or differs is a revision (signage.usecases.notices
.load_notice), the office and its hours are changed by signage.usecases.office, each
zone listed in site.yaml is created (it is declared there, with its name) or renamed,
and its playlist replaced (signage.usecases.playlists). So an import writes the same
revisions and audit entries as the same changes made by hand (actor "cli" from the
console, "system" on first start), and returns the events the screens need; what
was already so is left alone (importing a folder twice changes nothing the second
time). A problem anywhere stops the import before anything is committed, with the
file, the place in it and the reason (ContentError).

The pictures of images/ (checked by `read_folder` before anything is written) are
restored into the data dir first, so the notices naming them pass `check_image`; each
one this server did not have is audited `image.import`. If the import then fails, the
pictures it added are removed again: nothing is half-imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from signage.config import Settings
from signage.content import ABSENT, ContentError, ContentFolder, playlist_item, read_folder
from signage.errors import N_, FieldProblem, Invalid, Msg
from signage.notices import workflow
from signage.notices.images import ImageFolder, Picture
from signage.notices.timing import suggested_duration
from signage.usecases import ADMIN, Change
from signage.usecases import zones as zones_uc
from signage.usecases.notices import load_notice
from signage.usecases.office import change_office, set_office_hours
from signage.usecases.playlists import replace_playlist


def import_content(change: Change, root: Path | str,
                   image_max_bytes: int = Settings.image_max_bytes) -> dict[str, Any]:
    """Load a content folder (upsert by procedure code and law slug) and its pictures.
    Returns {"created", "updated", "zones", "images"}; raises ContentError."""
    change.require(ADMIN)
    folder = read_folder(Path(root), image_max_bytes)
    added = _restore_pictures(change, folder.pictures)
    try:
        report = _load(change, folder)
    except BaseException:
        for path in added:
            path.unlink(missing_ok=True)
        raise
    report["images"] = len(added)
    return report


def _restore_pictures(change: Change, pictures: list[Picture]) -> list[Path]:
    """Store the pictures this server lacks (as an upload stores them); their files."""
    stored = ImageFolder(change.data_dir)
    added = []
    for picture in pictures:
        if stored.file(picture.name) is not None or change.data_dir is None:
            continue
        url = stored.save(picture)
        added.append(stored.file(picture.name) or Path())
        change.audit("image.import", url, {"bytes": len(picture.content),
                                           "size": f"{picture.width}×{picture.height}"})
    return added


def _load(change: Change, folder: ContentFolder) -> dict[str, Any]:
    report: dict[str, Any] = {"created": 0, "updated": 0, "zones": []}
    for notice in folder.notices:
        done = load_notice(change, notice.record, notice.status)
        if done:
            report[done] += 1
    if folder.office:
        try:
            change_office(change, folder.office)
        except Invalid as exc:
            raise ContentError("site.yaml", exc.message, where="office", fields=exc.fields,
                               **exc.params) from None
    if folder.office_hours is not ABSENT:
        try:
            set_office_hours(change, {"hours": folder.office_hours})
        except Invalid as exc:
            raise ContentError("site.yaml", exc.message, where="office_hours",
                               fields=exc.fields, **exc.params) from None
    for spec in folder.zones:
        where = Msg(N_("khu vực %(zone)s"), {"zone": spec.slug})
        try:
            if not zones_uc.zone_exists(change.session, spec.slug):
                zones_uc.create_zone(change, {"slug": spec.slug, "name": spec.name or spec.slug})
            elif spec.name:
                zones_uc.rename_zone(change, spec.slug, {"name": spec.name})
        except Invalid as exc:
            raise ContentError("site.yaml", exc.message, where=where, fields=exc.fields,
                               **exc.params) from None
        _replace_playlist(change, spec.slug, _items(change, folder, spec.slug, spec.playlist))
        report["zones"].append(spec.slug)
    return report


def _items(change: Change, folder: ContentFolder, zone: str, items: Any) -> list[dict[str, Any]]:
    """The zone's playlist entries ({"notice_id", "duration"?, schedule…}) from site.yaml."""
    if items == "auto":
        return _auto_playlist(change, folder)
    if not isinstance(items, list):
        raise ContentError("site.yaml", N_("playlist phải là auto hoặc một danh sách."),
                           where=Msg(N_("khu vực %(zone)s"), {"zone": zone}))
    entries = []
    for n, item in enumerate(items, start=1):
        kind, key, entry = playlist_item(item, zone, n)
        notice = workflow.find_notice(change.session, kind, key)
        if notice is None:
            raise ContentError("site.yaml", N_("không tìm thấy %(kind)s %(key)s."),
                               where=Msg(N_("khu vực %(zone)s, mục %(n)s"),
                                         {"zone": zone, "n": n}), kind=kind, key=repr(key))
        # No duration: the time its pages need (signage.notices.timing), as `auto` gives.
        entries.append({"notice_id": notice.id,
                        "duration": suggested_duration(notice.record), **entry})
    return entries


def _auto_playlist(change: Change, folder: ContentFolder) -> list[dict[str, Any]]:
    """Two procedures, then one law message, and so on: outreach runs between procedures.

    Each gets the time its pages need (signage.notices.timing), not one fixed length.
    """
    def entry(notice: Any) -> dict[str, Any]:
        found = workflow.find_notice(change.session, *notice.key)
        return {"notice_id": found.id, "duration": suggested_duration(found.record)}

    procedures = [entry(n) for n in folder.notices if n.record.kind == "procedure"]
    laws = [entry(n) for n in folder.notices if n.record.kind == "law"]
    items: list[dict[str, Any]] = []
    while procedures or laws:
        items += procedures[:2]
        procedures = procedures[2:]
        items += laws[:1]
        laws = laws[1:]
    return items


def _replace_playlist(change: Change, zone: str, entries: list[dict[str, Any]]) -> None:
    try:
        replace_playlist(change, zone, {"slides": entries})
    except Invalid as exc:
        # The playlist use case names entry N "Slide N"; in site.yaml it is item N of the zone.
        problems = []
        for p in exc.fields:
            parts = p.field.split(".")
            if len(parts) >= 2 and parts[0] == "slides" and parts[1].isdigit():
                label = Msg(N_("khu vực %(zone)s, mục %(n)s"), {"zone": zone,
                                                                "n": int(parts[1]) + 1})
                problems.append(FieldProblem(p.field, p.message, p.params, (label, *p.labels[1:])))
            else:
                problems.append(p)
        raise ContentError("site.yaml", exc.message, fields=problems, **exc.params) from None
