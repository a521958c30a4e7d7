"""Security headers on every response, pages and API alike.

The policy allows only this server: scripts from its own files (no inline script, no
eval), styles from its own files, images, media (the voice clips), fonts, sockets and
the screen's service worker from here, frames only of its own pages, and no page of
ours inside another site's frame (a console or an admin form cannot be clicked through
from elsewhere). Nothing is ever loaded from another host: a ward's lobby network may
have no internet, and a page that needs none cannot be made to fetch any.
"""

from __future__ import annotations

from flask import Flask, Response, request

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "media-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "frame-src": "'self'",
    "frame-ancestors": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy(**overrides: str) -> str:
    """The Content-Security-Policy, with some directives replaced (the error page's style)."""
    return "; ".join(f"{k} {v}" for k, v in {**POLICY, **overrides}.items())


CSP = policy()


def register(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy",
                           "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
        # A citizen's ticket page and a counter's tablet have their secret in the
        # address: never send it on.
        referrer = "no-referrer" if request.path.startswith(("/t/", "/rate/")) \
            else "same-origin"
        headers.setdefault("Referrer-Policy", referrer)
        return response
