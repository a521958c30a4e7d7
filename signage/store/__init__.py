"""The store: SQLAlchemy 2 models, sessions and Alembic migrations.

SQLite in WAL mode is the embedded default; PostgreSQL is chosen by URL.
"""

from signage.store.db import Store
from signage.store.models import (
    ApiToken,
    Base,
    Notice,
    Screen,
    Setting,
    Slide,
    User,
    Zone,
)

__all__ = ["ApiToken", "Base", "Notice", "Screen", "Setting", "Slide", "Store", "User", "Zone"]
