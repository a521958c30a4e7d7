"""Settings, read from the SIGNAGE_* environment variables — here and nowhere else.

Every setting the service knows is a field of `Settings` with its variable in
`ENVIRONMENT` (the README lists the same table). Tests and embedders pass overrides
by field name to `create_app({...})`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from signage.resources import bundled_path

SECURE_COOKIE_MODES = ("auto", "always", "never")
# How the screens show the ticker (signage/static/js/ticker.js): one text at a time,
# faded to the next ("page"), or the running strip ("scroll").
TICKER_MODES = ("page", "scroll")


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about its surroundings; immutable once built."""

    data_dir: Path
    database_url: str
    redis_url: str | None
    timezone: str
    secret_key: str
    content_dir: Path
    # Where citizens' phones reach this server (the QR on a ticket); None: the URL the
    # kiosk itself used.
    public_url: str | None = None
    # How many reverse proxies in front of us to believe X-Forwarded-* from (0: none).
    trusted_proxies: int = 0
    # The session cookie's Secure flag: "auto" (when the request came over HTTPS),
    # "always" or "never".
    secure_cookies: str = "auto"
    # An ESC/POS ticket printer ("tcp://10.0.0.5:9100", "usb:0x0416:0x5011"); None: the
    # kiosk's browser prints.
    escpos: str | None = None
    # How many numbers one address may take without a registered kiosk (signage.ratelimit).
    anonymous_tickets: str = "12/minute,120/hour"
    # How often one device (a registered kiosk, else an address) may post to the
    # feedback box.
    feedback_limit: str = "10/hour,30/day"
    # WebSocket: server pings every `ping_interval` s; a peer that misses one pong is closed.
    ping_interval: float = 20.0
    max_message_size: int = 64 * 1024
    # A screen whose unsent bytes exceed this is dropped (it resyncs on reconnect).
    outbox_limit: int = 2 * 1024 * 1024
    # A screen not heard for this many seconds is flagged (fleet page, API, /healthz).
    screen_stale_after: float = 300.0
    # The largest picture an editor may upload for a law message (bytes, before it is
    # re-encoded; signage.notices.images).
    image_max_bytes: int = 5 * 1024 * 1024
    # The screens' ticker: "page" (one line at a time, faded to the next; nothing moves in
    # between, so a TV's renderer rests) or "scroll" (the running strip, 60 frames a second).
    ticker: str = "page"
    # Namespace of our Redis keys and channels (several deployments may share a server).
    redis_prefix: str = "signage"
    testing: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# Field -> environment variable (the public contract; README "Settings").
ENVIRONMENT = {
    "data_dir": "SIGNAGE_DATA_DIR",
    "database_url": "SIGNAGE_DATABASE_URL",
    "redis_url": "SIGNAGE_REDIS_URL",
    "redis_prefix": "SIGNAGE_REDIS_PREFIX",
    "timezone": "SIGNAGE_TIMEZONE",
    "secret_key": "SIGNAGE_SECRET_KEY",
    "content_dir": "SIGNAGE_CONTENT_DIR",
    "public_url": "SIGNAGE_PUBLIC_URL",
    "trusted_proxies": "SIGNAGE_TRUSTED_PROXIES",
    "secure_cookies": "SIGNAGE_SECURE_COOKIES",
    "escpos": "SIGNAGE_ESCPOS",
    "ping_interval": "SIGNAGE_PING_INTERVAL",
    "screen_stale_after": "SIGNAGE_SCREEN_STALE_AFTER",
    "anonymous_tickets": "SIGNAGE_ANONYMOUS_TICKETS",
    "feedback_limit": "SIGNAGE_FEEDBACK_LIMIT",
    "image_max_bytes": "SIGNAGE_IMAGE_MAX_BYTES",
    "ticker": "SIGNAGE_TICKER",
}


def _secret_key(data_dir: Path) -> str:
    """The secret key kept in the data dir, made once (0600) on first start."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _limits(text: str, variable: str = "SIGNAGE_ANONYMOUS_TICKETS") -> str:
    from signage.ratelimit import Limit

    try:
        Limit.parse_many(text)
    except ValueError as exc:
        raise ValueError(f"{variable}: {exc}") from None
    return text


def load_settings(
    overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Settings from `env` (default: os.environ), then `overrides` (lower-case field names)."""
    env = os.environ if env is None else env
    overrides = dict(overrides or {})

    def get(name: str) -> Any:
        value = overrides.pop(name, None)
        if value in (None, ""):
            value = env.get(ENVIRONMENT[name]) or None
        return value

    data_dir = Path(get("data_dir") or "instance").resolve()
    database_url = get("database_url") or f"sqlite:///{data_dir / 'signage.db'}"
    timezone = get("timezone") or "Asia/Ho_Chi_Minh"
    ZoneInfo(timezone)  # fail early on a misspelt zone
    secure = str(get("secure_cookies") or "auto").lower()
    if secure not in SECURE_COOKIE_MODES:
        raise ValueError("SIGNAGE_SECURE_COOKIES must be auto, always or never")
    proxies = get("trusted_proxies")
    try:
        proxies = int(proxies or 0)
    except ValueError:
        raise ValueError("SIGNAGE_TRUSTED_PROXIES must be a whole number") from None
    public_url = get("public_url")
    ping = get("ping_interval")
    try:
        ping = float(ping) if ping is not None else Settings.ping_interval
    except ValueError:
        raise ValueError("SIGNAGE_PING_INTERVAL must be a number of seconds") from None
    stale = get("screen_stale_after")
    try:
        stale = float(stale) if stale is not None else Settings.screen_stale_after
    except ValueError:
        raise ValueError("SIGNAGE_SCREEN_STALE_AFTER must be a number of seconds") from None
    ticker = str(get("ticker") or Settings.ticker).lower()
    if ticker not in TICKER_MODES:
        raise ValueError("SIGNAGE_TICKER must be page or scroll")
    image_max = get("image_max_bytes")
    try:
        image_max = int(image_max) if image_max is not None else Settings.image_max_bytes
    except ValueError:
        raise ValueError("SIGNAGE_IMAGE_MAX_BYTES must be a whole number of bytes") from None
    if image_max < 1024:
        raise ValueError("SIGNAGE_IMAGE_MAX_BYTES must be at least 1024")
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=get("redis_url"),
        redis_prefix=get("redis_prefix") or "signage",
        timezone=timezone,
        secret_key=get("secret_key") or _secret_key(data_dir),
        content_dir=Path(get("content_dir") or bundled_path("content")),
        public_url=str(public_url).rstrip("/") if public_url else None,
        trusted_proxies=proxies,
        secure_cookies=secure,
        escpos=get("escpos"),
        ping_interval=ping,
        screen_stale_after=stale,
        image_max_bytes=image_max,
        ticker=ticker,
        anonymous_tickets=_limits(get("anonymous_tickets") or Settings.anonymous_tickets),
        feedback_limit=_limits(get("feedback_limit") or Settings.feedback_limit,
                               "SIGNAGE_FEEDBACK_LIMIT"),
    )
    known = {f.name for f in fields(Settings)}
    extra = {k: v for k, v in overrides.items() if k not in known}
    return replace(settings, **{k: v for k, v in overrides.items() if k in known}, extra=extra)
