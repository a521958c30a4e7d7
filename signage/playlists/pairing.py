"""Pairing a new TV: it shows a short code, an admin types it in, the TV becomes a screen.

A code is read across a room and typed on a keyboard by someone else, so it is short
(6 characters), keeps one sign of each look-alike group (no 0 O D Q, 1 I L J, 2 Z,
5 S, 8 B, U V, G; 19 signs, 47 million codes),
and is forgiving when typed: case, spaces and dashes do not matter. It lives a few
minutes: the TV shows a new one when it expires, so a code seen on a photo or over a
shoulder is soon worthless (and pairing needs an admin anyway).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

CODE_ALPHABET = "ACEFHKMNPRTWXY34679"
CODE_LENGTH = 6
CODE_LIFETIME = timedelta(minutes=10)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What an admin typed, as the code it names: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-·.]", "", str(text)).upper()


def looks_like_code(text: str) -> bool:
    return len(text) == CODE_LENGTH and all(c in CODE_ALPHABET for c in text)


def shown(code: str) -> str:
    """The code as the TV shows it: two groups of three ("ACE 479")."""
    return f"{code[:3]} {code[3:]}"


def new_secret() -> str:
    """The TV's proof that it is the one that asked (kept in its cookie)."""
    return secrets.token_urlsafe(24)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
