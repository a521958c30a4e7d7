"""/api/v1/ratings: a citizen rates a served ticket (anonymous: the counter's tablet or
the ticket's own page), staff read them, an admin sets the scale."""

from __future__ import annotations

from flask import request

from signage.evaluation.export import RATING_COLUMNS
from signage.usecases import ADMIN
from signage.usecases import ratings as uc
from signage.usecases.reports import ExportQuery, period_of
from signage.usecases.tablets import tablet_for_key
from signage.web.api import (
    PUBLIC,
    STAFF,
    blueprint,
    csv_response,
    items_of,
    lobby,
    operation,
    perform,
)
from signage.web.api import query as run_query  # `query` is the parsed query string

bp = blueprint("ratings")



@operation(bp, "POST", "/ratings", roles=PUBLIC, body=uc.RatingIn,
           summary="Rate a served ticket (the counter's tablet, or the ticket's own page)",
           responses={201: uc.RatingOut}, errors=(403, 409))
def rate(body):
    """From the counter's registered tablet: `X-Tablet-Key: <its key>` and `ticket` (the
    id of a ticket completed at that counter in the last 10 minutes). From the citizen's
    phone: `token` (the ticket's secret, in its QR; within 3 days). One rating per
    ticket: 409 `already_rated`; a ticket not served to the end: 409 `not_served`;
    neither a tablet nor a token: 403 `not_a_rating_device`. The scale is the office's
    (3 levels by default, or 5 stars); `reasons` and `comment` are kept only from a
    citizen who is not satisfied."""
    tablet = run_query(tablet_for_key, request.headers.get("X-Tablet-Key"))
    return perform(uc.rate, body, tablet=tablet), 201


@operation(bp, "GET", "/ratings", roles=STAFF, query=ExportQuery, csv=True,
           summary="Ratings given in a period, oldest first (staff; JSON or CSV)",
           responses={200: items_of(uc.RatingOut, since=(str, ...), until=(str, ...))})
def list_ratings(query: ExportQuery):
    """`since` and `until` are office days (YYYY-MM-DD, both included; by default this
    month so far). `format=csv` gives the same fields as columns (docs/evaluation.md)."""
    clock = lobby().clock
    period = period_of(query, clock.now(), clock.tz)
    items = run_query(uc.list_ratings, period, clock.tz)
    if query.format == "csv":
        return csv_response(items, f"danh-gia-{period.since}-{period.until}", RATING_COLUMNS)
    return {"items": items, "since": period.since.isoformat(),
            "until": period.until.isoformat()}


@operation(bp, "GET", "/ratings/settings", roles=STAFF, summary="The rating scale and timeout",
           responses={200: uc.RatingSettings})
def rating_settings():
    return run_query(uc.get_rating_settings)


@operation(bp, "PATCH", "/ratings/settings", roles=ADMIN, body=uc.RatingSettingsIn,
           summary="Change the rating scale (3 levels or 5 stars) or the tablet's timeout",
           responses={200: uc.RatingSettings})
def update_rating_settings(body):
    """Every counter's tablet redraws at once; ratings already given keep their scale."""
    return perform(uc.update_rating_settings, body)
