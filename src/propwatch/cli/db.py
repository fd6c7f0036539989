"""``propwatch db``: create or upgrade the database schema of the web app."""

from __future__ import annotations

import typer

from propwatch.cli.output import database_errors, user_errors
from propwatch.db.engine import current_revision, make_engine, upgrade
from propwatch.settings import load_settings

HELP = """Manage the database that 'propwatch serve' stores analyses in.

The URL comes from --db, else PROPWATCH_DATABASE_URL, else an SQLite file in your user data
folder. 'propwatch serve' upgrades the schema by itself; run 'propwatch db upgrade' to do it
ahead of time (e.g. before starting several servers on one PostgreSQL database).
"""

DB_OPTION = typer.Option(
    None, "--db", help="Database URL; overrides PROPWATCH_DATABASE_URL.", show_default=False
)


def upgrade_command(db: str | None = DB_OPTION) -> None:
    """Apply every pending migration, then print the schema revision."""
    with user_errors():
        url = load_settings(database_url=db).database_url
        with database_errors(url):
            engine = make_engine(url)
            upgrade(engine)
            revision = current_revision(engine)
        typer.echo(f"database schema at revision {revision}")


def current_command(db: str | None = DB_OPTION) -> None:
    """Print the schema revision the database is at ('none' before the first upgrade)."""
    with user_errors():
        url = load_settings(database_url=db).database_url
        with database_errors(url):
            revision = current_revision(make_engine(url))
        typer.echo(revision or "none")


def register(app: typer.Typer) -> None:
    """Add the ``db`` command group to the ``propwatch`` command."""
    group = typer.Typer(help=HELP, no_args_is_help=True)
    group.command("upgrade")(upgrade_command)
    group.command("current")(current_command)
    app.add_typer(group, name="db")
