"""Composition root: settings, the ASGI app, auth, limits and the CLI."""
