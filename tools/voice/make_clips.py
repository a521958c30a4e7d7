#!/usr/bin/env python3
"""Regenerate the Vietnamese call clips and the chime under signage/static/voice/.

Every clip in ``signage.queueing.speech.ALL_CLIP_IDS`` is spoken by espeak-ng's
Vietnamese voice, trimmed of silence, brought to one loudness with sox and written
as mono Ogg Vorbis. The chime is synthesised by sox from sine tones. The output is
committed: the service and CI have no espeak-ng.

    python3 tools/voice/make_clips.py            # regenerate everything, then check
    python3 tools/voice/make_clips.py --check    # only measure what is on disk

Needs: espeak-ng, sox with Ogg Vorbis support (Debian: espeak-ng sox libsox-fmt-all).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from signage.queueing.speech import ALL_CLIP_IDS, CLIP_TEXTS  # noqa: E402

VOICE_DIR = REPO / "signage" / "static" / "voice"
CLIP_DIR = VOICE_DIR / "vi"
CHIME = VOICE_DIR / "chime.ogg"

# espeak-ng settings, chosen by ear for a lobby loudspeaker: the default 175 wpm
# runs Vietnamese tones together, 140 keeps each syllable's tone audible without
# dragging; a slightly lowered pitch sounds less shrill on TV speakers.
VOICE = "vi"
RATE_WPM = 140
PITCH = 45
WORD_GAP_10MS = 1  # -g: a little extra pause between words inside the phrase clips

SAMPLE_RATE = 22050
VORBIS_QUALITY = 2  # -C 2: about 40 kbit/s mono, clear for speech and small
TARGET_RMS_DB = -18.0  # every clip at one loudness, so no word jumps out
# Silence trimming: cut below 0.3 % of full scale, but keep a few ms at each end so
# quiet word onsets and final stops (một, tám) are not clipped.
TRIM = ["silence", "1", "0.01", "0.3%", "reverse", "silence", "1", "0.01", "0.3%", "reverse"]
PAD_START_S, PAD_END_S = "0.02", "0.04"

# Where espeak-ng mispronounces a clip's text, the spelling it is fed instead.
# "gi" alone is read as the bare consonant /z/, so the letter J gets no vowel;
# "di" sounds the same as the letter name /zi/ in the northern voice.
ESPEAK_SPELLING = {"gi": "di"}

# The longest phrase ("Kính mời công dân, tổ chức có số thứ tự") is about 3.5 s.
MIN_SECONDS, MAX_SECONDS = 0.15, 4.0
MAX_TOTAL_BYTES = 1_500_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only measure the clips on disk")
    args = parser.parse_args()
    _require("sox", "soxi")
    if not args.check:
        _require("espeak-ng")
        CLIP_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            for clip in ALL_CLIP_IDS:
                make_clip(clip, CLIP_TEXTS[clip], Path(tmp))
            make_chime(Path(tmp))
        _remove_stale_clips()
    return check()


def make_clip(clip: str, text: str, tmp: Path) -> None:
    """Speak ``text`` with espeak-ng and write CLIP_DIR/<clip>.ogg."""
    raw, trimmed = tmp / f"{clip}.raw.wav", tmp / f"{clip}.trim.wav"
    # Hyphens join the syllables of letter names ("e-lờ"); espeak should just say them.
    spoken = ESPEAK_SPELLING.get(text, text).replace("-", " ")
    _run(
        [
            "espeak-ng",
            "-v",
            VOICE,
            "-s",
            str(RATE_WPM),
            "-p",
            str(PITCH),
            "-g",
            str(WORD_GAP_10MS),
            "-w",
            str(raw),
            spoken,
        ]
    )
    _run(["sox", str(raw), str(trimmed), *TRIM])
    gain = TARGET_RMS_DB - _rms_db(trimmed)
    _run(
        [
            "sox",
            str(trimmed),
            "-C",
            str(VORBIS_QUALITY),
            "-r",
            str(SAMPLE_RATE),
            "-c",
            "1",
            str(CLIP_DIR / f"{clip}.ogg"),
            # -l: a limiter instead of clipping where the gain pushes peaks past full scale
            "gain",
            "-l",
            f"{gain:.2f}",
            "pad",
            PAD_START_S,
            PAD_END_S,
            "fade",
            "q",
            "0.005",
            "-0",
            "0.01",
        ]
    )


def make_chime(tmp: Path) -> None:
    """A soft two-tone "ding-dong" (E5 then C5), bell-like, about 2 s."""
    notes = []
    note_s, second_at_s, tail_s = 1.5, 0.5, 0.3
    for i, (freq, delay) in enumerate(((659.25, 0.0), (523.25, second_at_s))):
        note = tmp / f"note{i}.wav"
        # A sine with a quiet octave and twelfth gives the bell colour; a 15 ms
        # rounded attack avoids a click, the long half-sine fade is the decay.
        _run(
            [
                "sox",
                "-n",
                "-r",
                str(SAMPLE_RATE),
                "-c",
                "1",
                str(note),
                "synth",
                str(note_s),
                "sine",
                str(freq),
                "sine",
                str(freq * 2),
                "sine",
                str(freq * 3),
                "remix",
                "-m",
                "1v0.7,2v0.2,3v0.06",
                "fade",
                "h",
                "0.015",
                str(note_s),
                str(note_s - 0.05),
                "pad",
                str(delay),
            ]
        )
        notes.append(str(note))
    _run(
        [
            "sox",
            "-m",
            *notes,
            "-C",
            str(VORBIS_QUALITY),
            "-r",
            str(SAMPLE_RATE),
            "-c",
            "1",
            # Room for the reverb tail first, then a short fade so it does not end in a
            # click (stop positions are explicit: sox miscounts "-0" after a mix).
            str(CHIME),
            "pad",
            "0",
            str(tail_s),
            "reverb",
            "20",
            "50",
            "50",
            "fade",
            "h",
            "0",
            str(second_at_s + note_s + tail_s),
            "0.15",
            "gain",
            "-n",
            "-3",
            "pad",
            "0.02",
        ]
    )


def check() -> int:
    """Measure every clip: present, non-empty, 0.15–3 s long; total under 1.5 MB."""
    problems: list[str] = []
    total = 0
    for path in [*(CLIP_DIR / f"{clip}.ogg" for clip in ALL_CLIP_IDS), CHIME]:
        if not path.is_file() or path.stat().st_size == 0:
            problems.append(f"{path.name}: missing or empty")
            continue
        total += path.stat().st_size
        seconds = float(_output(["soxi", "-D", str(path)]))
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            problems.append(f"{path.name}: {seconds:.2f} s, outside {MIN_SECONDS}–{MAX_SECONDS} s")
        print(f"{path.relative_to(REPO)}\t{seconds:.2f} s\t{path.stat().st_size} B")
    print(f"{len(ALL_CLIP_IDS)} clips + chime, {total} bytes in all")
    if total >= MAX_TOTAL_BYTES:
        problems.append(f"total {total} B is not under {MAX_TOTAL_BYTES} B")
    for problem in problems:
        print(f"PROBLEM {problem}", file=sys.stderr)
    return 1 if problems else 0


def _remove_stale_clips() -> None:
    # A word dropped from the vocabulary must not leave a clip behind to ship.
    wanted = {f"{clip}.ogg" for clip in ALL_CLIP_IDS}
    for path in CLIP_DIR.glob("*.ogg"):
        if path.name not in wanted:
            path.unlink()


def _rms_db(wav: Path) -> float:
    stats = subprocess.run(
        ["sox", str(wav), "-n", "stats"], capture_output=True, text=True, check=True
    ).stderr
    match = re.search(r"^RMS lev dB\s+(-?[\d.]+)", stats, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"sox stats gave no RMS level for {wav}:\n{stats}")
    return float(match.group(1))


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        sys.exit(f"missing {', '.join(missing)}: apt-get install espeak-ng sox libsox-fmt-all")


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True)


def _output(cmd: list[str]) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
