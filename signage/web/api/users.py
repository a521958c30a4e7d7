"""/api/v1/users: staff accounts (admin)."""

from __future__ import annotations

from signage.usecases import ADMIN
from signage.usecases import accounts as accounts_uc
from signage.web.api import blueprint, items_of, operation, perform, query

bp = blueprint("users")


@operation(bp, "GET", "/users", summary="Staff accounts, with their latest login (admin)",
           roles=ADMIN, responses={200: items_of(accounts_uc.UserOut)})
def list_users():
    return {"items": query(accounts_uc.list_users)}


@operation(bp, "POST", "/users", summary="Add a staff account (admin)", roles=ADMIN,
           body=accounts_uc.UserIn, responses={201: accounts_uc.UserOut}, errors=(409,))
def create_user(body):
    """409 (code conflict) when the name is taken."""
    return perform(accounts_uc.create_user, body), 201


@operation(bp, "PATCH", "/users/<int:user_id>",
           summary="Change role, deactivate/reactivate, or set a password (admin)",
           roles=ADMIN, body=accounts_uc.UserPatch, responses={200: accounts_uc.UserOut})
def update_user(user_id: int, body):
    """Each field given is its own change and audit entry (role, then active, then
    password), all in one transaction. A new password ends the user's open sessions;
    a deactivated user's sessions and tokens stop at once. 422 with code last_admin for
    the last active admin's role or deactivation, own_account for deactivating oneself."""
    return perform(accounts_uc.update_user, user_id, body)
