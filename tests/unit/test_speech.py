"""How calls are spoken: Vietnamese number reading, letter names, call phrases, clips."""

from __future__ import annotations

import re
import string
import struct
from pathlib import Path

import pytest

from signage.queueing import speech
from signage.queueing.speech import (
    ALL_CLIP_IDS,
    call_phrase,
    call_text,
    clip_id,
    compact_phrase,
    compact_text,
    letter_name,
    read_digits,
    read_number,
)

VOICE_DIR = Path(speech.__file__).resolve().parents[1] / "static" / "voice"
OPENING = "kinh-moi-cong-dan-co-so-thu-tu"
TO_COUNTER = "den-quay-so"


def words(n: int, **kwargs: str) -> str:
    return " ".join(read_number(n, **kwargs))


# --- numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "spoken"),
    [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm lẻ một"),
        (105, "một trăm lẻ năm"),
        (110, "một trăm mười"),
        (111, "một trăm mười một"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm lẻ năm"),
        (1010, "một nghìn không trăm mười"),
        (1021, "một nghìn không trăm hai mươi mốt"),
        (2020, "hai nghìn không trăm hai mươi"),
        (2024, "hai nghìn không trăm hai mươi tư"),
        (10_000, "mười nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (100_005, "một trăm nghìn không trăm lẻ năm"),
        (1_000_000, "một triệu"),
        (1_000_001, "một triệu không trăm lẻ một"),
        (1_005_000, "một triệu không trăm lẻ năm nghìn"),
        (
            999_999_999,
            "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
            "chín trăm chín mươi chín",
        ),
    ],
)
def test_numbers_are_read_the_way_vietnamese_speakers_say_them(n: int, spoken: str) -> None:
    assert words(n) == spoken


def test_ten_to_nineteen_use_muoi_with_grave_and_twenty_up_use_muoi_without() -> None:
    assert read_number(19)[0] == "mười"
    assert read_number(90)[1] == "mươi"


def test_one_after_muoi_is_mot_with_rising_tone_but_not_after_muoi_or_le() -> None:
    assert read_number(31)[-1] == "mốt"
    assert read_number(11)[-1] == "một"
    assert read_number(101)[-1] == "một"


def test_four_after_muoi_is_tu_but_fourteen_and_zero_ten_four_keep_bon() -> None:
    assert read_number(44) == ["bốn", "mươi", "tư"]
    assert read_number(14) == ["mười", "bốn"]
    assert read_number(104) == ["một", "trăm", "lẻ", "bốn"]


def test_five_is_lam_only_after_a_ten() -> None:
    assert read_number(15)[-1] == "lăm"
    assert read_number(95)[-1] == "lăm"
    assert read_number(5) == ["năm"]
    assert read_number(105)[-1] == "năm"
    assert read_number(500) == ["năm", "trăm"]


def test_zero_ten_can_be_read_linh_as_some_offices_prefer() -> None:
    assert words(105, zero_ten="linh") == "một trăm linh năm"
    assert words(1005, zero_ten="linh") == "một nghìn không trăm linh năm"
    assert words(115, zero_ten="linh") == "một trăm mười lăm"


def test_every_word_is_its_own_token_so_each_plays_as_one_clip() -> None:
    assert read_number(21) == ["hai", "mươi", "mốt"]
    assert all(" " not in word for n in (1005, 1_000_001, 999_999_999) for word in read_number(n))


@pytest.mark.parametrize("bad", [-1, 1_000_000_000])
def test_numbers_outside_zero_to_999_999_999_are_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        read_number(bad)


def test_non_integers_and_unknown_zero_ten_words_are_refused() -> None:
    with pytest.raises(TypeError):
        read_number(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        read_number(True)
    with pytest.raises(ValueError):
        read_number(105, zero_ten="le")  # type: ignore[arg-type]


# --- digits and letters -------------------------------------------------------------


def test_digits_are_read_one_by_one_including_zeros() -> None:
    assert read_digits("1005") == ["một", "không", "không", "năm"]
    assert read_digits("0123456789") == list(speech.DIGIT_WORDS)


def test_digit_reading_never_applies_number_rules() -> None:
    assert read_digits("15") == ["một", "năm"]
    assert read_digits("21") == ["hai", "một"]


@pytest.mark.parametrize("bad", ["", "12a", "A-1", "١٢"])
def test_digit_reading_refuses_anything_but_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        read_digits(bad)


@pytest.mark.parametrize(
    ("letter", "name"),
    [
        ("A", "a"),
        ("B", "bê"),
        ("C", "xê"),
        ("D", "dê"),
        ("Đ", "đê"),
        ("E", "e"),
        ("G", "giê"),
        ("H", "hát"),
        ("K", "ca"),
        ("L", "e-lờ"),
        ("M", "em-mờ"),
        ("Q", "quy"),
        ("S", "ét-xì"),
        ("X", "ích-xì"),
        ("Y", "i-dài"),
    ],
)
def test_prefix_letters_have_their_vietnamese_names(letter: str, name: str) -> None:
    assert letter_name(letter) == name


def test_every_latin_letter_and_d_with_stroke_has_a_name_in_either_case() -> None:
    for letter in [*string.ascii_uppercase, "Đ"]:
        assert letter_name(letter) == letter_name(letter.lower())


@pytest.mark.parametrize("bad", ["", "AB", "1", "-", "Ă"])
def test_a_character_that_is_not_a_prefix_letter_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        letter_name(bad)


# --- whole calls ---------------------------------------------------------------------


def test_a_call_reads_the_ticket_digit_by_digit_by_default() -> None:
    assert call_phrase("A-1005", "3") == [
        OPENING,
        "a",
        "một",
        "không",
        "không",
        "năm",
        TO_COUNTER,
        "ba",
    ]


def test_a_call_can_read_the_ticket_as_a_number() -> None:
    assert call_phrase("A-1005", 3, mode="number") == [
        OPENING,
        "a",
        "một",
        "nghìn",
        "không",
        "trăm",
        "lẻ",
        "năm",
        TO_COUNTER,
        "ba",
    ]


def test_the_counter_is_always_read_as_a_number() -> None:
    assert call_phrase("B-7", "12")[-3:] == [TO_COUNTER, "mười", "hai"]
    assert call_phrase("B-7", 21)[-4:] == [TO_COUNTER, "hai", "mươi", "mốt"]


def test_the_linh_setting_applies_to_ticket_and_counter() -> None:
    tokens = call_phrase("C-105", "101", mode="number", zero_ten="linh")
    assert tokens == [
        OPENING,
        "xê",
        "một",
        "trăm",
        "linh",
        "năm",
        TO_COUNTER,
        "một",
        "trăm",
        "linh",
        "một",
    ]


def test_a_ticket_without_prefix_or_with_several_letters_is_read() -> None:
    assert call_phrase("1005", 3) == [OPENING, "một", "không", "không", "năm", TO_COUNTER, "ba"]
    assert call_phrase("đb-12", 3)[:5] == [OPENING, "đê", "bê", "một", "hai"]
    assert call_phrase("A1005", 3) == call_phrase("A-1005", 3)


def test_leading_zeros_are_spoken_in_digit_mode_and_dropped_in_number_mode() -> None:
    assert call_phrase("A-0012", 1)[2:5] == ["không", "không", "một"]
    assert call_phrase("A-0012", 1, mode="number")[2:4] == ["mười", "hai"]


@pytest.mark.parametrize("ticket", ["", "A-", "-", "A-12B", "A-1.5", "A 1 2"])
def test_a_ticket_that_is_not_letters_then_digits_is_refused(ticket: str) -> None:
    with pytest.raises(ValueError):
        call_phrase(ticket, 1)


@pytest.mark.parametrize("counter", ["", "ba", "-3", "3a"])
def test_a_counter_that_is_not_a_number_is_refused(counter: str) -> None:
    with pytest.raises(ValueError):
        call_phrase("A-1", counter)


def test_an_unknown_reading_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        call_phrase("A-1", 1, mode="words")  # type: ignore[arg-type]


def test_the_call_text_is_a_vietnamese_sentence_with_numbers_in_words() -> None:
    assert call_text("A-1005", "3") == (
        "Kính mời công dân có số thứ tự a, một, không, không, năm, đến quầy số ba."
    )
    assert call_text("A-1005", 12, mode="number", zero_ten="linh") == (
        "Kính mời công dân có số thứ tự a, một nghìn không trăm linh năm, đến quầy số mười hai."
    )


def test_the_thousands_are_nghin_in_the_north_and_ngan_in_the_south() -> None:
    assert words(1005) == "một nghìn không trăm lẻ năm"
    assert words(1005, thousand="ngàn") == "một ngàn không trăm lẻ năm"
    assert words(2_021_000, thousand="ngàn") == "hai triệu không trăm hai mươi mốt ngàn"
    assert call_phrase("A-1005", 3, mode="number", thousand="ngàn")[2:4] == ["một", "ngàn"]
    assert call_text("A-1005", 3, mode="number", thousand="ngàn") == (
        "Kính mời công dân có số thứ tự a, một ngàn không trăm lẻ năm, đến quầy số ba.")
    # Read digit by digit there is no thousand to say.
    assert call_phrase("A-1005", 3, thousand="ngàn") == call_phrase("A-1005", 3)
    with pytest.raises(ValueError):
        read_number(1000, thousand="nghin")  # type: ignore[arg-type]


def test_the_office_chooses_its_call_sentence() -> None:
    assert call_text("A-1005", 3, sentence="xin_moi") == (
        "Xin mời số thứ tự a, một, không, không, năm, đến quầy số ba.")
    assert call_text("A-1005", 3, sentence="cong_dan_to_chuc") == (
        "Kính mời công dân, tổ chức có số thứ tự a, một, không, không, năm, đến quầy số ba.")
    assert call_phrase("A-1005", 3, sentence="xin_moi")[0] == "xin-moi-so-thu-tu"
    assert call_phrase("A-1005", 3, sentence="cong_dan_to_chuc")[0] == (
        "kinh-moi-cong-dan-to-chuc-co-so-thu-tu")
    assert call_phrase("A-1005", 3)[0] == OPENING
    with pytest.raises(ValueError):
        call_phrase("A-1005", 3, sentence="moi")  # type: ignore[arg-type]


def test_a_compact_call_is_the_letters_then_the_number_and_the_counter_in_one_word() -> None:
    assert compact_phrase("A-1005", 3) == (["a"], ["một", "không", "không", "năm", "quầy", "ba"])
    assert compact_phrase("A-1005", 12, mode="number", thousand="ngàn")[1] == [
        "một", "ngàn", "không", "trăm", "lẻ", "năm", "quầy", "mười", "hai"]
    assert compact_text("A-1005", 3) == "a, một, không, không, năm, quầy ba"


# --- clips ---------------------------------------------------------------------------


def test_clip_ids_are_ascii_slugs_that_keep_tones_and_vowels_apart() -> None:
    pairs = [
        ("một", "mốt"),
        ("năm", "lăm"),
        ("mười", "mươi"),
        ("bốn", "tư"),
        ("lẻ", "linh"),
        ("dê", "đê"),
        ("e", "e-lờ"),
    ]
    for first, second in pairs:
        assert clip_id(first) != clip_id(second)
    assert clip_id("mốt") == "moots"
    assert clip_id("một") == "mootj"
    assert clip_id("e-lờ") == "e-lowf"
    assert clip_id(OPENING) == OPENING


def test_every_clip_id_is_a_safe_file_name_and_no_two_words_share_one() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", clip) for clip in ALL_CLIP_IDS)
    assert len(set(speech.CLIP_TEXTS.values())) == len(ALL_CLIP_IDS)


def _tokens_of_many_calls() -> set[str]:
    numbers = [
        *range(0, 2100),
        10_000,
        10_001,
        21_004,
        100_005,
        999_999,
        1_000_001,
        999_999_999,
        *range(0, 999_999_999, 7_654_321),
    ]
    tokens: set[str] = set()
    for zero_ten in ("lẻ", "linh"):
        for n in numbers:
            tokens.update(read_number(n, zero_ten=zero_ten))
        for counter in range(1, 100):
            tokens.update(call_phrase("A-1005", counter, mode="number", zero_ten=zero_ten))
    for letter in [*string.ascii_uppercase, "Đ"]:
        tokens.update(call_phrase(f"{letter}-0123456789", 1))
    for sentence in speech.SENTENCE_OPENINGS:
        tokens.update(call_phrase("A-1005", 3, mode="number", thousand="ngàn", sentence=sentence))
    for part in compact_phrase("A-1005", 3):
        tokens.update(part)
    return tokens


def test_every_token_a_call_can_produce_has_a_clip_id_in_the_list() -> None:
    missing = {token for token in _tokens_of_many_calls() if clip_id(token) not in ALL_CLIP_IDS}
    assert missing == set()


def test_every_listed_clip_is_needed_by_some_call() -> None:
    produced = {clip_id(token) for token in _tokens_of_many_calls()}
    assert set(ALL_CLIP_IDS) == produced


def _ogg_vorbis_seconds(path: Path) -> float:
    """Duration of an Ogg Vorbis file: last page's granule position / sample rate."""
    data = path.read_bytes()
    header = data.index(b"\x01vorbis")
    sample_rate = struct.unpack_from("<I", data, header + 12)[0]
    last_page = data.rindex(b"OggS")
    granule = struct.unpack_from("<q", data, last_page + 6)[0]
    return granule / sample_rate


def test_every_clip_and_the_chime_are_on_disk_as_short_ogg_vorbis_files() -> None:
    files = [*(VOICE_DIR / "vi" / f"{clip}.ogg" for clip in ALL_CLIP_IDS), VOICE_DIR / "chime.ogg"]
    missing = [f.name for f in files if not f.is_file()]
    assert missing == []
    for path in files:
        assert path.read_bytes()[:4] == b"OggS", path.name
        assert 0.15 <= _ogg_vorbis_seconds(path) <= 4.0, path.name
    assert sum(f.stat().st_size for f in files) < 1_500_000


def test_no_clip_ships_that_no_call_can_use() -> None:
    on_disk = {path.stem for path in (VOICE_DIR / "vi").glob("*.ogg")}
    assert on_disk == set(ALL_CLIP_IDS)
