"""The ticker on the real server: a zone runs the short texts of the law messages it shows,
and every change that can alter them reaches its screens at once."""

from __future__ import annotations

import time


def law(live_server, zone: str, ticker: str, title: str = "Thông điệp") -> dict:
    status, body = live_server.request("POST", "/api/v1/notices", {
        "kind": "law", "title": title, "slug": f"ticker-{time.monotonic_ns()}",
        "body": "Nội dung.", "ticker": ticker, "zones": [zone]}, role="approver")
    assert status == 201, body
    return body


def test_the_shipped_lobby_runs_the_ticker_texts_of_its_law_messages(live_server, screen):
    key = live_server.add_screens("Sảnh", zone="sanh-chinh")[0]
    ticker = screen(key).snapshot["ticker"]
    assert len(ticker) >= 10 and len(set(ticker)) == len(ticker)
    assert all(isinstance(t, str) and 0 < len(t) <= 200 for t in ticker)


def test_ticker_texts_follow_the_zone_playlist_and_its_edits(live_server, screen):
    # Given a screen in a zone that shows nothing yet
    key = live_server.add_screens("Hành lang", zone="ticker-a")[0]
    tv = screen(key)
    assert tv.snapshot["ticker"] == []

    # When a law message with a ticker text is put on the zone's playlist
    first = law(live_server, "ticker-a", "Đăng ký khai sinh trong 60 ngày.")
    changed = tv.wait_for("playlist.changed")
    # Then the screens get the new ticker with the new playlist
    assert changed["ticker"] == ["Đăng ký khai sinh trong 60 ngày."]

    # When a second one comes, and a procedure (procedures have no ticker text)
    second = law(live_server, "ticker-a", "Đội mũ bảo hiểm khi đi xe máy.")
    assert tv.wait_for("playlist.changed")["ticker"] == [
        "Đăng ký khai sinh trong 60 ngày.", "Đội mũ bảo hiểm khi đi xe máy."]

    # When an editor changes the first one's ticker text
    notice = live_server.request("GET", f"/api/v1/notices/{first['id']}")[1]
    notice["ticker"] = "Khai sinh đúng hạn được miễn lệ phí."
    assert live_server.request("PUT", f"/api/v1/notices/{first['id']}", notice,
                               role="approver")[0] == 200
    # Then the slide and the ticker change together
    updated = tv.wait_for("notice.updated", where=lambda m: m["notice_id"] == first["id"])
    assert updated["ticker"] == ["Khai sinh đúng hạn được miễn lệ phí.",
                                 "Đội mũ bảo hiểm khi đi xe máy."]

    # When the zone's playlist keeps only the second message
    status, _ = live_server.request("PUT", "/api/v1/zones/ticker-a/playlist", {
        "slides": [{"notice_id": second["id"], "duration": 20}]}, role="approver")
    assert status == 200
    assert tv.wait_for("playlist.changed")["ticker"] == ["Đội mũ bảo hiểm khi đi xe máy."]

    # And a screen connecting now gets the same in its snapshot
    assert screen(key).snapshot["ticker"] == ["Đội mũ bảo hiểm khi đi xe máy."]


def test_another_zone_never_gets_this_zones_ticker(live_server, screen):
    other = screen(live_server.add_screens("Khu khác", zone="ticker-b")[0])
    live_server.add_screens("Khu C", zone="ticker-c")
    law(live_server, "ticker-c", "Chỉ khu C.")
    # A later change in zone B arrives; nothing of zone C's ticker came before it
    law(live_server, "ticker-b", "Chỉ khu B.")
    changed = other.wait_for("playlist.changed")
    assert changed["ticker"] == ["Chỉ khu B."]
