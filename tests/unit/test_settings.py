"""Every setting is read in signage/config.py and listed in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from signage.config import ENVIRONMENT, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_lists_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [var for var in ENVIRONMENT.values() if f"`{var}`" not in readme]
    assert not missing, f"README lacks {missing}"


def test_no_module_reads_the_environment_but_config():
    readers = [str(p.relative_to(ROOT)) for p in (ROOT / "signage").rglob("*.py")
               if p.name != "config.py"
               and re.search(r"os\.environ|getenv\(", p.read_text(encoding="utf-8"))]
    assert readers == []


def test_settings_come_from_the_environment(tmp_path):
    env = {"SIGNAGE_DATA_DIR": str(tmp_path), "SIGNAGE_PUBLIC_URL": "https://so.example/",
           "SIGNAGE_TRUSTED_PROXIES": "1", "SIGNAGE_SECURE_COOKIES": "always",
           "SIGNAGE_ESCPOS": "tcp://127.0.0.1:9100", "SIGNAGE_SECRET_KEY": "k"}
    settings = load_settings(env=env)
    assert (settings.public_url, settings.trusted_proxies, settings.secure_cookies,
            settings.escpos) == ("https://so.example", 1, "always", "tcp://127.0.0.1:9100")


@pytest.mark.parametrize("name, value", [("SIGNAGE_SECURE_COOKIES", "sometimes"),
                                         ("SIGNAGE_TRUSTED_PROXIES", "one")])
def test_a_misspelt_setting_stops_the_start_with_its_name(tmp_path, name, value):
    with pytest.raises(ValueError, match=name):
        load_settings(env={"SIGNAGE_DATA_DIR": str(tmp_path), "SIGNAGE_SECRET_KEY": "k",
                           name: value})
