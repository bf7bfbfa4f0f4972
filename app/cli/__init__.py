"""The ``solgraph`` command: a thin shell over the domain, the store and the analyses."""

from app.cli.main import main

__all__ = ["main"]
