"""Debian's headless Chromium as tests and benchmarks start it: no browser download, no
network chatter (this machine reaches nothing but package registries)."""

from __future__ import annotations

from shutil import which

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def executable() -> str:
    """The path of Debian's ``chromium``; fails with the install command if it is missing."""
    found = which("chromium")
    if found is None:
        raise RuntimeError("Debian's chromium is required: apt-get install chromium")
    return found
