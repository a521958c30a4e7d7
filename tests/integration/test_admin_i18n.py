"""/admin speaks Vietnamese by default and English on request; the catalogue ships complete."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from signage.accounts import add_user

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "signage" / "translations" / "en" / "LC_MESSAGES"


def switch(client, lang: str, next: str = "/admin/login"):
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get(next).text)[1]
    return client.post("/admin/language", data={"lang": lang, "next": next, "csrf_token": token})


def test_pages_are_vietnamese_by_default_and_switch_to_english_and_back(client, lobby):
    page = client.get("/admin/login")
    assert '<html lang="vi">' in page.text and "Tên đăng nhập" in page.text
    response = switch(client, "en")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/login"
    page = client.get("/admin/login").text
    assert '<html lang="en">' in page and "User name" in page and "Tên đăng nhập" not in page
    switch(client, "vi")
    assert "Tên đăng nhập" in client.get("/admin/login").text


def test_the_language_outlives_logout_and_covers_error_messages(client, lobby):
    with lobby.store.write() as session:
        add_user(session, "quantri", "admin", "mat-khau-rat-dai", lobby.clock.now())
    switch(client, "en")
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/admin/login").text)[1]
    client.post("/admin/login", data={"name": "quantri", "password": "mat-khau-rat-dai",
                                      "csrf_token": token})
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/admin/").text)[1]
    refused = client.post("/admin/users", data={"name": "x", "role": "editor", "password": "p",
                                                "csrf_token": token})
    assert "User name: only unaccented letters" in refused.text
    client.post("/admin/logout", data={"csrf_token": token})
    assert "You are logged out." in client.get("/admin/login").text


def test_an_unknown_language_is_ignored(client):
    switch(client, "fr")
    assert '<html lang="vi">' in client.get("/admin/login").text


def _key(msgid: str | tuple | list) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _text(string: str | tuple | list) -> str | tuple:
    return string if isinstance(string, str) else tuple(string) if any(string) else ""


def test_the_english_catalogue_covers_every_message_and_its_mo_is_compiled():
    method_map, options_map = parse_mapping_cfg((ROOT / "babel.cfg").open())
    # The keywords of the pybabel extract command in docs/admin.md.
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "N_": None,
                "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
    wanted = {(msg[4], _key(msg[2]))
              for msg in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)}
    po = read_po((CATALOGUE / "messages.po").open("rb"))
    translated = {(m.context, _key(m.id)): _text(m.string) for m in po if m.id}
    missing = sorted((w for w in wanted if not translated.get(w)), key=str)
    assert not missing, f"no English for: {missing} (see docs/admin.md, pybabel update)"
    mo = read_mo((CATALOGUE / "messages.mo").open("rb"))
    compiled = {(m.context, _key(m.id)): _text(m.string) for m in mo if m.id}
    assert compiled == {k: v for k, v in translated.items() if v}, \
        "messages.mo is older than messages.po: run pybabel compile (docs/admin.md)"
