"""Routers: ``api`` (REST, ``/api/v1``) and ``pages`` (server-rendered HTML)."""
