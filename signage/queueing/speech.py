"""How a ticket call is spoken in Vietnamese, as words and as recorded clips.

The lobby TV says "Kính mời công dân có số thứ tự A-1005 đến quầy số 3". The server
turns a call into a list of tokens; the browser plays one recorded clip per token
(offline TV browsers rarely have a Vietnamese voice) or hands the same sentence, as
text, to the browser's own speech synthesis.

Pure functions only: no Flask, no I/O. The clips themselves are made by
``tools/voice/make_clips.py`` from ``CLIP_TEXTS`` and live in
``signage/static/voice/vi/<clip_id>.ogg``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

ReadingMode = Literal["digits", "number"]
ZeroTen = Literal["lẻ", "linh"]
# "nghìn" in the North, "ngàn" in the South: the same number, the office's word.
Thousand = Literal["nghìn", "ngàn"]
Sentence = Literal["kinh_moi", "xin_moi", "cong_dan_to_chuc"]

MAX_NUMBER = 999_999_999

DIGIT_WORDS: tuple[str, ...] = (
    "không",
    "một",
    "hai",
    "ba",
    "bốn",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
)

# The fixed parts of a call are recorded as whole phrases: a phrase spoken in one
# breath sounds far more natural than eight single-word clips stitched together.
PHRASE_CALL_OPENING = "kinh-moi-cong-dan-co-so-thu-tu"
PHRASE_TO_COUNTER = "den-quay-so"
PHRASE_TEXTS: dict[str, str] = {
    PHRASE_CALL_OPENING: "Kính mời công dân có số thứ tự",
    "xin-moi-so-thu-tu": "Xin mời số thứ tự",
    "kinh-moi-cong-dan-to-chuc-co-so-thu-tu": "Kính mời công dân, tổ chức có số thứ tự",
    PHRASE_TO_COUNTER: "đến quầy số",
}
# The call sentence offices use, as its opening phrase (a setting, signage.queueing.announce):
# "Kính mời công dân có số thứ tự A-1005 đến quầy số 3" by default; "Xin mời số thứ tự …";
# "Kính mời công dân, tổ chức có số thứ tự …" where businesses queue too.
SENTENCE_OPENINGS: dict[str, str] = {
    "kinh_moi": PHRASE_CALL_OPENING,
    "xin_moi": "xin-moi-so-thu-tu",
    "cong_dan_to_chuc": "kinh-moi-cong-dan-to-chuc-co-so-thu-tu",
}
# A compact call (several calls read as one list, see docs/voice.md) names the counter
# with this one word instead of the whole phrase: "a, một, không, không, năm, quầy ba".
COUNTER_WORD = "quầy"

# Spoken names of the letters used as ticket prefixes. Vietnamese has its own
# alphabet names (a, bê, xê, dê, đê, e, giê, hát, i, ca, e-lờ, em-mờ, en-nờ, o, pê,
# quy, e-rờ, ét-xì, tê, u, vê, ích-xì, i-dài); F, J, W, Z are not Vietnamese letters
# and are read the way people spell foreign words aloud (ép, gi, vê-kép, dét).
# Multi-syllable names are joined by hyphens so each stays one token and one clip.
LETTER_NAMES: dict[str, str] = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e-lờ",
    "M": "em-mờ",
    "N": "en-nờ",
    "O": "o",
    "P": "pê",
    "Q": "quy",
    "R": "e-rờ",
    "S": "ét-xì",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê-kép",
    "X": "ích-xì",
    "Y": "i-dài",
    "Z": "dét",
}

# Every word read_number can produce besides the plain digits.
_NUMBER_EXTRA_WORDS: tuple[str, ...] = (
    "mốt",
    "tư",
    "lăm",
    "mười",
    "mươi",
    "trăm",
    "lẻ",
    "linh",
    "nghìn",
    "ngàn",
    "triệu",
)

_TICKET_PATTERN = re.compile(r"^\s*([^\W\d_]*)\s*-?\s*(\d+)\s*$")


def read_number(n: int, *, zero_ten: ZeroTen = "lẻ", thousand: Thousand = "nghìn") -> list[str]:
    """Vietnamese words for ``n`` (0 … 999 999 999), one word per list item.

    ``zero_ten`` is the word for an empty tens place before a unit ("một trăm lẻ
    năm" or, as some offices say it, "một trăm linh năm"); ``thousand`` is "nghìn"
    (the North) or "ngàn" (the South).
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"read_number needs an int, got {type(n).__name__}")
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"read_number reads 0 to {MAX_NUMBER}, got {n}")
    _check_zero_ten(zero_ten)
    _check_thousand(thousand)
    if n == 0:
        return ["không"]

    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1_000)
    words: list[str] = []
    for group, scale in ((millions, "triệu"), (thousands, thousand), (units, None)):
        if group == 0:
            # An empty group is skipped: 1 000 005 is "một triệu không trăm lẻ năm".
            continue
        words += _read_group(group, full=bool(words), zero_ten=zero_ten)
        if scale:
            words.append(scale)
    return words


def _read_group(group: int, *, full: bool, zero_ten: str) -> list[str]:
    """Words for one group of three digits (1 … 999).

    ``full`` is set for every group after the first spoken one: there an empty
    hundreds place is still said ("một nghìn không trăm lẻ năm"), because without it
    1005 and 1 nghìn 5 (= 1500 in speech) would sound alike.
    """
    hundreds, below = divmod(group, 100)
    tens, unit = divmod(below, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if unit:
            words += [zero_ten, DIGIT_WORDS[unit]] if words else [DIGIT_WORDS[unit]]
        return words
    if tens == 1:
        words.append("mười")
        if unit:
            words.append("lăm" if unit == 5 else DIGIT_WORDS[unit])
        return words
    words += [DIGIT_WORDS[tens], "mươi"]
    if unit:
        words.append(_unit_after_muoi(unit))
    return words


def _unit_after_muoi(unit: int) -> str:
    # After "mươi" (20 and up) 1 is "mốt", 4 is "tư" and 5 is "lăm";
    # after "mười" only 5 changes (11 mười một, 14 mười bốn, 15 mười lăm).
    return {1: "mốt", 4: "tư", 5: "lăm"}.get(unit, DIGIT_WORDS[unit])


def read_digits(s: str) -> list[str]:
    """Words for ``s`` read digit by digit: "1005" → một, không, không, năm."""
    if not s or not s.isascii() or not s.isdigit():
        raise ValueError(f"read_digits needs a string of digits 0-9, got {s!r}")
    return [DIGIT_WORDS[int(ch)] for ch in s]


def letter_name(ch: str) -> str:
    """The spoken Vietnamese name of a ticket-prefix letter (A "a", B "bê", …)."""
    name = LETTER_NAMES.get(ch.upper()) if len(ch) == 1 else None
    if name is None:
        raise ValueError(f"no spoken name for ticket prefix letter {ch!r}")
    return name


def call_phrase(
    ticket_display: str,
    counter: str | int,
    mode: ReadingMode = "digits",
    zero_ten: ZeroTen = "lẻ",
    *,
    thousand: Thousand = "nghìn",
    sentence: Sentence = "kinh_moi",
) -> list[str]:
    """Tokens of "Kính mời công dân có số thứ tự <ticket> đến quầy số <counter>" (or
    the office's other opening, ``sentence``: see SENTENCE_OPENINGS).

    The fixed parts are phrase tokens (their clip ids); the ticket's prefix letters,
    its number (digit by digit or as a number, as the office prefers) and the
    counter number (always as a number) are Vietnamese words. Map each token to its
    clip with ``clip_id``.
    """
    letters, ticket_words, counter_words = _call_parts(ticket_display, counter, mode, zero_ten,
                                                       thousand)
    return [_opening(sentence), *letters, *ticket_words, PHRASE_TO_COUNTER, *counter_words]


def compact_phrase(
    ticket_display: str,
    counter: str | int,
    mode: ReadingMode = "digits",
    zero_ten: ZeroTen = "lẻ",
    *,
    thousand: Thousand = "nghìn",
) -> tuple[list[str], list[str]]:
    """One call as an item of a compact list: (prefix letters, the rest), where the rest
    is the ticket's number, "quầy" and the counter ("a" + "một không không năm quầy ba").

    When several calls are read as one list, a screen says the letters only where they
    change from the item before, and the opening phrase once for the list (docs/voice.md).
    """
    letters, ticket_words, counter_words = _call_parts(ticket_display, counter, mode, zero_ten,
                                                       thousand)
    return letters, [*ticket_words, COUNTER_WORD, *counter_words]


def call_text(
    ticket_display: str,
    counter: str | int,
    mode: ReadingMode = "digits",
    zero_ten: ZeroTen = "lẻ",
    *,
    thousand: Thousand = "nghìn",
    sentence: Sentence = "kinh_moi",
) -> str:
    """The call as a Vietnamese sentence, with the numbers written as words.

    Words rather than "A-1005" so that a browser voice says exactly what the clips
    say (a voice may read "-" as "trừ"); the commas give it the pauses a person
    makes between digits.
    """
    letters, ticket_words, counter_words = _call_parts(ticket_display, counter, mode, zero_ten,
                                                       thousand)
    return (
        f"{PHRASE_TEXTS[_opening(sentence)]} {_ticket_text(letters, ticket_words, mode)}, "
        f"{PHRASE_TEXTS[PHRASE_TO_COUNTER]} {' '.join(counter_words)}."
    )


def compact_text(
    ticket_display: str,
    counter: str | int,
    mode: ReadingMode = "digits",
    zero_ten: ZeroTen = "lẻ",
    *,
    thousand: Thousand = "nghìn",
) -> str:
    """compact_phrase as text for a browser voice: "a, một, không, không, năm, quầy ba"."""
    letters, ticket_words, counter_words = _call_parts(ticket_display, counter, mode, zero_ten,
                                                       thousand)
    return f"{_ticket_text(letters, ticket_words, mode)}, {COUNTER_WORD} {' '.join(counter_words)}"


def _ticket_text(letters: list[str], ticket_words: list[str], mode: str) -> str:
    if mode == "digits":
        return ", ".join([*letters, *ticket_words])
    return ", ".join([*letters, " ".join(ticket_words)])


def _opening(sentence: str) -> str:
    if sentence not in SENTENCE_OPENINGS:
        raise ValueError(f"sentence must be one of {sorted(SENTENCE_OPENINGS)}, got {sentence!r}")
    return SENTENCE_OPENINGS[sentence]


def _call_parts(
    ticket_display: str, counter: str | int, mode: str, zero_ten: str, thousand: str = "nghìn"
) -> tuple[list[str], list[str], list[str]]:
    if mode not in ("digits", "number"):
        raise ValueError(f"mode must be 'digits' or 'number', got {mode!r}")
    _check_zero_ten(zero_ten)
    _check_thousand(thousand)
    prefix, digits = _split_ticket(ticket_display)
    letters = [letter_name(ch) for ch in prefix]
    if mode == "digits":
        ticket_words = read_digits(digits)
    else:
        # Leading zeros are not spoken as a number: "A-0012" is "a, mười hai".
        ticket_words = read_number(int(digits), zero_ten=zero_ten, thousand=thousand)
    counter_text = str(counter).strip()
    if not counter_text.isascii() or not counter_text.isdigit():
        raise ValueError(f"counter must be a number, got {counter!r}")
    counter_words = read_number(int(counter_text), zero_ten=zero_ten, thousand=thousand)
    return letters, ticket_words, counter_words


def _split_ticket(ticket_display: str) -> tuple[str, str]:
    """Split "A-1005" (or "A1005", or "1005") into its prefix letters and digits."""
    match = _TICKET_PATTERN.match(ticket_display)
    if match is None or not match.group(2).isascii():
        raise ValueError(f"ticket number must look like 'A-1005' or '1005', got {ticket_display!r}")
    return match.group(1), match.group(2)


def _check_zero_ten(zero_ten: str) -> None:
    if zero_ten not in ("lẻ", "linh"):
        raise ValueError(f"zero_ten must be 'lẻ' or 'linh', got {zero_ten!r}")


def _check_thousand(thousand: str) -> None:
    if thousand not in ("nghìn", "ngàn"):
        raise ValueError(f"thousand must be 'nghìn' or 'ngàn', got {thousand!r}")


# Clip ids are the Telex spelling (the way Vietnamese is typed on an ASCII
# keyboard) with the tone letter at the end of each syllable: â ê ô → aa ee oo,
# ă ơ ư → aw ow uw, đ → dd; tones sắc s, huyền f, hỏi r, ngã x, nặng j.
# Unlike simply dropping diacritics it never merges two words: một → mootj,
# mốt → moots, mười → muwowif, mươi → muwowi, năm → nawm, lăm → lawm.
_TONE_LETTERS = {
    "\u0301": "s",  # sắc
    "\u0300": "f",  # huyền
    "\u0309": "r",  # hỏi
    "\u0303": "x",  # ngã
    "\u0323": "j",  # nặng
}
_SYLLABLE_SEPARATORS = re.compile(r"([\s-]+)")


def clip_id(token: str) -> str:
    """The id (file name without ".ogg") of the recorded clip for ``token``.

    Phrase tokens are already clip ids; words are spelled in Telex, so the id is
    plain ASCII, readable, and distinct for every distinct word.
    """
    if token in PHRASE_TEXTS:
        return token
    if not token.strip():
        raise ValueError("an empty token has no clip")
    parts = _SYLLABLE_SEPARATORS.split(token.strip().lower())
    return "".join("-" if _SYLLABLE_SEPARATORS.fullmatch(p) else _telex_syllable(p) for p in parts)


def _telex_syllable(syllable: str) -> str:
    letters: list[str] = []
    tone = ""
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONE_LETTERS:
            tone = _TONE_LETTERS[ch]
        elif ch == "\u0302":  # circumflex: â ê ô
            letters.append(letters[-1])
        elif ch in ("\u0306", "\u031b"):  # breve ă, horn ơ ư
            letters.append("w")
        elif ch == "đ":
            letters.append("dd")
        elif ch.isascii() and ch.isalnum():
            letters.append(ch)
        else:
            raise ValueError(f"cannot spell {syllable!r} as a clip id")
    return "".join(letters) + tone


def _spoken_vocabulary() -> dict[str, str]:
    """Clip id → the Vietnamese text recorded in that clip, for every possible token."""
    words = [*DIGIT_WORDS, *_NUMBER_EXTRA_WORDS, *LETTER_NAMES.values(), COUNTER_WORD]
    texts = dict(PHRASE_TEXTS)
    for word in words:
        texts[clip_id(word)] = word
    return texts


# Clip id → text to synthesise; the clip generator reads this.
CLIP_TEXTS: dict[str, str] = _spoken_vocabulary()
ALL_CLIP_IDS: tuple[str, ...] = tuple(sorted(CLIP_TEXTS))
