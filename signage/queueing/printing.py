"""The ticket on an ESC/POS thermal printer (optional: `pip install 'signage[printer]'`).

Configured by SIGNAGE_ESCPOS:

    network:HOST[:PORT]      a printer on the LAN (raw TCP, port 9100 by default)
    usb:VID:PID              a USB printer (hex ids, e.g. usb:04b8:0202; needs pyusb)
    serial:DEVICE[:BAUD]     a serial printer (needs pyserial)
    file:PATH                a device file such as /dev/usb/lp0
    unset                    no ESC/POS: the kiosk's browser prints the ticket

Printing happens after the ticket is committed, outside any transaction (a slow
printer must not hold the queue's write lock). Any failure raises PrintError, and
the kiosk's door voids the ticket (signage.usecases.tickets.void_ticket) so no ghost
number waits in the queue.

Text is printed without diacritics: few thermal printers carry a Vietnamese code
page, and "Ho tich" is better than "H? t?ch". The number itself is ASCII anyway.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

from signage.errors import N_, Unavailable

PRINT_TIMEOUT_S = 5.0
_lock = threading.Lock()  # one printer, one ticket at a time


# Characters with no decomposition to ASCII that ward texts use.
_PLAIN = str.maketrans({"đ": "d", "Đ": "D", "–": "-", "—": "-", "…": "...", "→": "->",
                        "“": '"', "”": '"', "‘": "'", "’": "'", "·": "-"})


class PrintError(Unavailable):
    """The ticket could not be printed; the message is for the citizen at the kiosk."""

    code = "print_failed"


@dataclass(frozen=True)
class PrinterSpec:
    kind: str          # network | usb | serial | file
    target: str
    port: int = 9100
    extra: tuple[int, ...] = ()


def parse_spec(spec: str | None) -> PrinterSpec | None:
    """Parse SIGNAGE_ESCPOS; None when printing by ESC/POS is off."""
    if not spec or not spec.strip():
        return None
    kind, _, rest = spec.strip().partition(":")
    kind = kind.lower()
    try:
        if kind == "network":
            host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
            return PrinterSpec("network", host or rest, int(port) if port else 9100)
        if kind == "usb":
            vid, _, pid = rest.partition(":")
            return PrinterSpec("usb", rest, extra=(int(vid, 16), int(pid, 16)))
        if kind == "serial":
            device, _, baud = rest.partition(":")
            return PrinterSpec("serial", device, extra=(int(baud),) if baud else ())
        if kind == "file" and rest:
            return PrinterSpec("file", rest)
    except ValueError:
        pass
    raise ValueError(f"SIGNAGE_ESCPOS={spec!r}: use network:HOST[:PORT], usb:VID:PID, "
                     "serial:DEVICE[:BAUD] or file:PATH")


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics: "Hộ tịch, đất đai" -> "Ho tich, dat dai"."""
    text = text.translate(_PLAIN)
    folded = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).encode(
        "ascii", "replace").decode("ascii")


def _open(spec: PrinterSpec) -> Any:
    try:
        from escpos import printer
    except ImportError:
        raise PrintError(N_("Máy in phiếu chưa được cài đặt (thiếu python-escpos).")) from None
    if spec.kind == "network":
        device = printer.Network(spec.target, port=spec.port, timeout=PRINT_TIMEOUT_S)
    elif spec.kind == "usb":
        device = printer.Usb(spec.extra[0], spec.extra[1], timeout=int(PRINT_TIMEOUT_S * 1000))
    elif spec.kind == "serial":
        device = printer.Serial(spec.target, baudrate=spec.extra[0] if spec.extra else 9600,
                                timeout=PRINT_TIMEOUT_S)
    else:
        device = printer.File(spec.target)
    device.open()
    return device


def print_ticket(spec: PrinterSpec, ticket: dict[str, Any], *, office: str, status_url: str,
                 issued_local: str) -> None:
    """Print one ticket; raises PrintError on any failure (the caller voids the ticket)."""
    with _lock:
        device = None
        try:
            device = _open(spec)
            device.set(align="center", normal_textsize=True)
            device.text(ascii_fold(office) + "\n")
            device.text(ascii_fold("PHIẾU SỐ THỨ TỰ") + "\n\n")
            device.set(align="center", bold=True, custom_size=True, width=4, height=4)
            device.text(ticket["display"] + "\n")
            device.set(align="center", bold=False, normal_textsize=True)
            device.text("\n" + ascii_fold(ticket["service_name"]) + "\n")
            if ticket.get("priority_label"):
                device.text(ascii_fold("Ưu tiên: " + ticket["priority_label"]) + "\n")
            device.text(ascii_fold(f"Giờ lấy số: {issued_local}") + "\n")
            minutes = round(ticket.get("estimated_wait_s", 0) / 60)
            device.text(ascii_fold(f"Số người chờ trước: {ticket.get('people_ahead', 0)}"
                                   f" - Dự kiến: ~{minutes} phút") + "\n\n")
            device.qr(status_url, size=5, center=True)
            device.text(ascii_fold("Quét mã để theo dõi lượt của bạn") + "\n")
            device.cut()
        except PrintError:
            raise
        except Exception as exc:  # the printer's library raises many kinds; all mean "no ticket"
            raise PrintError(N_("Không in được phiếu (%(problem)s). Xin vui lòng lấy số lại "
                                "hoặc báo cán bộ."),
                             problem=f"{type(exc).__name__}: {exc}") from exc
        finally:
            if device is not None:
                try:
                    device.close()
                except Exception:  # closing a broken connection may fail too
                    pass
