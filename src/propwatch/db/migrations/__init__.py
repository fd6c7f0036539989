"""Alembic environment and revisions; applied by :func:`propwatch.db.engine.upgrade`."""
