"""/api/v1/officers and the counters' duty: who serves at the counters (their name,
title, field and phone are public, NĐ 118 Điều 9 khoản 8), and who is on duty where.
The counter console puts its officer on duty when they pick a counter."""

from __future__ import annotations

from flask import request, url_for

from signage.usecases import ADMIN, OPERATORS
from signage.usecases import officers as uc
from signage.web.api import STAFF, blueprint, items_of, operation, perform
from signage.web.api import query as run_query

bp = blueprint("officers")


@operation(bp, "GET", "/officers", roles=STAFF, summary="Officers (staff)",
           responses={200: items_of(uc.OfficerOut)})
def list_officers():
    return {"items": run_query(uc.list_officers)}


@operation(bp, "POST", "/officers", roles=ADMIN, body=uc.OfficerIn,
           summary="Add an officer's profile (admin)", responses={201: uc.OfficerOut})
def create_officer(body):
    """`user`: the staff account the officer signs in with at the counter console."""
    officer = perform(uc.create_officer, body)
    return officer, 201, {"Location": url_for(".get_officer", officer_id=officer["id"])}


@operation(bp, "GET", "/officers/<int:officer_id>", roles=STAFF, summary="One officer (staff)",
           responses={200: uc.OfficerOut})
def get_officer(officer_id: int):
    return run_query(uc.get_officer, officer_id)


@operation(bp, "PATCH", "/officers/<int:officer_id>", roles=ADMIN, body=uc.OfficerPatch,
           summary="Change an officer's profile (admin)", responses={200: uc.OfficerOut})
def update_officer(officer_id: int, body):
    """A new name shows at once on the counter's tablet and the screens' panel; an
    officer made inactive goes off duty."""
    return perform(uc.update_officer, officer_id, body)


@operation(bp, "PUT", "/officers/<int:officer_id>/photo", roles=ADMIN, errors=(422,),
           summary="Set the officer's portrait (admin; the image itself as the body)",
           responses={200: uc.OfficerOut})
def set_photo(officer_id: int):
    """The body is the image (Content-Type image/jpeg, image/png or image/webp, at most
    512 KB), shown on the counter's tablet; 422 `bad_photo` otherwise."""
    return perform(uc.set_officer_photo, officer_id, request.get_data(), request.content_type)


@operation(bp, "DELETE", "/officers/<int:officer_id>/photo", roles=ADMIN,
           summary="Remove the officer's portrait (admin)", responses={200: uc.OfficerOut})
def clear_photo(officer_id: int):
    return perform(uc.clear_officer_photo, officer_id)


# ---- duty ----------------------------------------------------------------------------------

@operation(bp, "GET", "/duty", roles=STAFF, summary="Who is on duty at each counter (staff)",
           responses={200: items_of(uc.DutyOut)})
def duty_board():
    return {"items": run_query(uc.duty_board)}


@operation(bp, "POST", "/counters/<int:counter_id>/duty", roles=OPERATORS, body=uc.DutyIn,
           body_required=False, summary="Go on duty at a counter (the caller, or an officer)",
           responses={200: uc.DutyOut})
def start_duty(counter_id: int, body):
    """Without a body: the caller's own profile (made from their account the first time)
    goes on duty there, and off duty wherever they were. An admin may give
    `officer_id`."""
    return perform(uc.start_duty, counter_id, body)


@operation(bp, "DELETE", "/counters/<int:counter_id>/duty", roles=OPERATORS,
           summary="Nobody on duty at the counter any more (its officer, or an admin)",
           responses={200: uc.DutyOut})
def end_duty(counter_id: int):
    return perform(uc.end_duty, counter_id)
