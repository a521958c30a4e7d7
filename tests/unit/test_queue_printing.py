"""SIGNAGE_ESCPOS parsing and the ticket's text on printers without Vietnamese code pages."""

import pytest

from signage.queueing.printing import PrinterSpec, ascii_fold, parse_spec


def test_printer_addresses_are_parsed():
    assert parse_spec(None) is None and parse_spec("  ") is None
    assert parse_spec("network:192.168.1.50:9100") == PrinterSpec("network", "192.168.1.50", 9100)
    assert parse_spec("network:printer.local") == PrinterSpec("network", "printer.local", 9100)
    assert parse_spec("usb:04b8:0202").extra == (0x04B8, 0x0202)
    assert parse_spec("serial:/dev/ttyUSB0:19200") == PrinterSpec("serial", "/dev/ttyUSB0",
                                                                  extra=(19200,))
    assert parse_spec("file:/dev/usb/lp0").target == "/dev/usb/lp0"


def test_a_misspelt_printer_address_fails_early_with_the_accepted_forms():
    with pytest.raises(ValueError, match="network:HOST"):
        parse_spec("tcp:1.2.3.4")


def test_vietnamese_is_folded_to_plain_letters_for_the_printer():
    assert ascii_fold("Hộ tịch, Đất đai – Người cao tuổi") == "Ho tich, Dat dai - Nguoi cao tuoi"
    assert ascii_fold("Quầy 5 → Ủy ban") == "Quay 5 -> Uy ban"
    assert ascii_fold("漢") == "?"
