"""``propwatch serve``: the web app and REST API over a database."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

import typer

from propwatch.cli.output import (
    MODEL_HELP,
    database_errors,
    stderr,
    use_technique_model,
    user_errors,
)
from propwatch.errors import PropwatchError
from propwatch.settings import load_settings

HELP = """Start the web app (analyse, library, compare, outlets) and the REST API (/api/v1).

Analyses are stored in PROPWATCH_DATABASE_URL (or --db): by default an SQLite file in your
user data folder; PostgreSQL with postgresql://user:password@host/db. The schema is upgraded
on start.

\b
Examples:
  propwatch serve                      # http://127.0.0.1:8000
  propwatch serve --host 0.0.0.0 --port 8080 \\
      --db postgresql://pw:secret@db/propwatch
  PROPWATCH_API_KEYS=k1,k2 propwatch serve   # writes need an X-API-Key

Other settings (environment): PROPWATCH_MAX_UPLOAD_BYTES (default 5 MB),
PROPWATCH_FETCH_TIMEOUT_S, PROPWATCH_FETCH_MAX_BYTES, PROPWATCH_PIPELINE (component names).
"""


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, for the server to listen on.

    Bound before anything else happens, so that a busy port is one line saying what to do
    (uvicorn would only fail after the app was built and "serving on" printed), and nothing
    can take the port in between.

    Raises
    ------
    PropwatchError
        If the address cannot be bound (in use, not this machine's, a privileged port).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # As uvicorn does: a port left in TIME_WAIT by a server that just stopped is free.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PropwatchError(
                f"port {port} on {host} is already in use (another propwatch serve?); stop "
                f"that program or choose another port: propwatch serve --port {port + 1} "
                f"(make run PORT={port + 1})"
            ) from error
        raise PropwatchError(f"cannot listen on {host}:{port}: {error.strerror}") from error
    return sock


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0: all)."),
    port: int = typer.Option(8000, help="TCP port to listen on."),
    db: str | None = typer.Option(
        None, "--db", help="Database URL; overrides PROPWATCH_DATABASE_URL.", show_default=False
    ),
    allow_private_urls: bool = typer.Option(
        False,
        "--allow-private-urls",
        help="Let 'analyse a URL' fetch private, loopback and link-local addresses.",
    ),
    model: Path | None = typer.Option(None, "--model", help=MODEL_HELP, show_default=False),
) -> None:
    # Imported here: FastAPI, SQLAlchemy and uvicorn would slow every other command's start.
    import uvicorn

    from propwatch.web.app import create_app

    with user_errors():
        use_technique_model(model)
        sock = listening_socket(host, port)
        settings = load_settings(database_url=db, allow_private_urls=allow_private_urls or None)
        with database_errors(settings.database_url):
            app = create_app(settings)
    stderr.print(f"propwatch: serving on http://{host}:{port}", markup=False)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``propwatch`` command."""
    app.command("serve", help=HELP)(serve)
