"""Settings, read from the SIGNAGE_* environment variables of the public contract."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from signage.resources import bundled_path


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about its surroundings; immutable once built."""

    data_dir: Path
    database_url: str
    redis_url: str | None
    timezone: str
    secret_key: str
    content_dir: Path
    # WebSocket: server pings every `ping_interval` s; a peer that misses one pong is closed.
    ping_interval: float = 20.0
    max_message_size: int = 64 * 1024
    # A screen whose unsent bytes exceed this is dropped (it resyncs on reconnect).
    outbox_limit: int = 2 * 1024 * 1024
    # Namespace of our Redis keys and channels (several deployments may share a server).
    redis_prefix: str = "signage"
    testing: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


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


def load_settings(
    overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Settings from `env` (default: os.environ), then `overrides` (lower-case field names)."""
    env = os.environ if env is None else env
    overrides = dict(overrides or {})
    data_dir = Path(overrides.pop("data_dir", None) or env.get("SIGNAGE_DATA_DIR") or "instance")
    data_dir = data_dir.resolve()
    database_url = (
        overrides.pop("database_url", None)
        or env.get("SIGNAGE_DATABASE_URL")
        or f"sqlite:///{data_dir / 'signage.db'}"
    )
    timezone = overrides.pop("timezone", None) or env.get("SIGNAGE_TIMEZONE") or "Asia/Ho_Chi_Minh"
    ZoneInfo(timezone)  # fail early on a misspelt zone
    redis_url = overrides.pop("redis_url", None) or env.get("SIGNAGE_REDIS_URL") or None
    secret_key = overrides.pop("secret_key", None) or env.get("SIGNAGE_SECRET_KEY")
    if not secret_key:
        secret_key = _secret_key(data_dir)
    content_dir = Path(
        overrides.pop("content_dir", None) or env.get("SIGNAGE_CONTENT_DIR") or bundled_path("content")
    )
    redis_prefix = overrides.pop("redis_prefix", None) or env.get("SIGNAGE_REDIS_PREFIX") or "signage"
    settings = Settings(
        redis_prefix=redis_prefix,
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        timezone=timezone,
        secret_key=secret_key,
        content_dir=content_dir,
    )
    known = {f for f in Settings.__dataclass_fields__}
    extra = {k: v for k, v in overrides.items() if k not in known}
    return replace(settings, **{k: v for k, v in overrides.items() if k in known}, extra=extra)
