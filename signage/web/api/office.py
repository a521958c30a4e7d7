"""/api/v1/office and /api/v1/office-hours: the office's names, welcome card and opening
hours (signage.usecases.office; changes: admin)."""

from __future__ import annotations

from signage.usecases import ADMIN
from signage.usecases import office as uc
from signage.web.api import blueprint, operation, perform, query

bp = blueprint("office")


@operation(bp, "GET", "/office", summary="The office's names and welcome card",
           responses={200: uc.Office})
def get_office():
    return query(uc.office)


@operation(bp, "PATCH", "/office", summary="Change the office's names or welcome card (admin)",
           roles=ADMIN, body=uc.OfficeIn, responses={200: uc.Office})
def patch_office(body):
    """Only the fields sent change; an empty text restores the default. Every screen gets
    the new texts at once."""
    return perform(uc.change_office, body)


@operation(bp, "GET", "/office-hours",
           summary="Office hours (screens show a closed card outside them)",
           responses={200: uc.OfficeHours})
def get_office_hours():
    return query(uc.office_hours)


@operation(bp, "PUT", "/office-hours", summary="Set or clear the office hours (admin)",
           roles=ADMIN, body=uc.OfficeHoursIn, responses={200: uc.OfficeHours})
def put_office_hours(body):
    """{"hours": null} clears them (screens always show the playlist); a body without
    `hours` is refused, so a typo never clears them."""
    return perform(uc.set_office_hours, body)
