"""Solidarity Graph: organisations supporting informal economy workers, and their ties."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("solidarity-graph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
