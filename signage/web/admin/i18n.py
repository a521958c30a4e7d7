"""Languages of the staff pages: Vietnamese by default, English second (Flask-Babel).

Convention: msgids are the Vietnamese text itself, so templates read as the staff
see them and anything not (yet) translated still shows in the default language.
The English catalogue is signage/translations/en/LC_MESSAGES/messages.po, compiled
to messages.mo and committed (docs/admin.md has the pybabel commands).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request
from flask_babel import Babel

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
COOKIE = "signage_lang"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"

babel = Babel()


def current_language() -> str:
    """The visitor's choice (a cookie set by the language switch), else on the API
    what the client accepts (Accept-Language), else Vietnamese."""
    if has_request_context():
        chosen = request.cookies.get(COOKIE)
        if chosen in LANGUAGES:
            return chosen
        if request.path.startswith("/api/"):
            return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def init_app(app: Flask) -> None:
    app.config.update(
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        # Dates and times on staff pages are the office's, never UTC.
        BABEL_DEFAULT_TIMEZONE=app.extensions["signage"].settings.timezone,
    )
    babel.init_app(app, locale_selector=current_language)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
