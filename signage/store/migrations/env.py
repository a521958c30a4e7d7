"""Alembic environment: uses the engine the app already built (see migrate.py)."""

from alembic import context

from signage.store.models import Base, load_feature_models

load_feature_models()

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # plain `alembic` CLI use by a developer
        from signage.store.db import Store

        engine = Store(config.get_main_option("sqlalchemy.url")).engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
