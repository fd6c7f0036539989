"""Storage of analyses: SQLAlchemy 2 models, repository functions and Alembic migrations.

Routes and commands never write SQL: they call :mod:`propwatch.db.repo`. The schema is owned by
the migrations in ``migrations/versions``, applied with :func:`propwatch.db.engine.upgrade`.
"""
