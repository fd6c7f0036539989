"""The web app and REST API: ``create_app(settings)`` in :mod:`propwatch.web.app`."""
