"""/api/v1/tokens: API bearer tokens (admin). A token's secret is in the answer that
issues it, and never again."""

from __future__ import annotations

from pydantic import Field

from signage.usecases import ADMIN
from signage.usecases import accounts as accounts_uc
from signage.validation import Model
from signage.web.api import blueprint, items_of, operation, perform
from signage.web.api import query as run_query  # `query` is the parsed query string

bp = blueprint("tokens")


class TokenFilter(Model):
    user: str | None = Field(None, description="only this user's tokens (a user name)")


@operation(bp, "GET", "/tokens", summary="API tokens, with when each was last used (admin)",
           roles=ADMIN, query=TokenFilter, responses={200: items_of(accounts_uc.TokenOut)},
           errors=(404,))
def list_tokens(query: TokenFilter):
    """Revoked ones too; `?user=NAME` for one user's. Secrets are never listed."""
    return {"items": run_query(accounts_uc.list_tokens, query.user)}


@operation(bp, "POST", "/tokens", summary="Issue an API token for a user (admin)", roles=ADMIN,
           body=accounts_uc.TokenIn, responses={201: accounts_uc.TokenIssued})
def create_token(body):
    """The answer's `token` is the secret: shown this once (only its digest is kept)."""
    return perform(accounts_uc.create_token, body), 201


@operation(bp, "DELETE", "/tokens/<int:token_id>", summary="Revoke an API token (admin)",
           roles=ADMIN, responses={200: accounts_uc.TokenOut})
def revoke_token(token_id: int):
    """It stops working at once, for good. Idempotent."""
    return perform(accounts_uc.revoke_token, token_id)

