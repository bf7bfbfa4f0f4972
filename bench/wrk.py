"""Requests per second measured by wrk (Debian's ``wrk``), a load generator written in C that
is not the bottleneck of a Python server: one thread, keep-alive connections, each sending the
next of a list of paths in turn (a Lua script), for a fixed time after a warm-up run."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SCRIPT = """
local paths = {%s}
local next = 0
request = function()
  next = next %% #paths + 1
  return wrk.format("GET", paths[next])
end
"""


@dataclass(frozen=True)
class Rate:
    """What one wrk run saw: requests per second, and answers that were not 2xx or 3xx."""

    requests_per_second: float
    errors: int


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(path: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9/_\-.?=&%]+", path):
        raise ValueError(f"a benchmark path must be plain URL text: {path!r}")
    return f'"{path}"'


def rate(
    port: int, paths: Sequence[str], connections: int, seconds: float, warmup: float = 1.0
) -> Rate:
    """Run wrk against ``127.0.0.1:port`` over ``paths`` (warm-up first, not recorded)."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "paths.lua"
        script.write_text(SCRIPT % ", ".join(_lua_string(p) for p in paths), "utf-8")
        base = ["wrk", "-t1", f"-c{connections}", "--timeout", "60s", "-s", str(script)]
        url = f"http://127.0.0.1:{port}"
        subprocess.run([*base, f"-d{max(1, round(warmup))}s", url], check=True, capture_output=True)
        done = subprocess.run(
            [*base, f"-d{max(1, round(seconds))}s", url],
            check=True,
            capture_output=True,
            text=True,
        )
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    if found is None:
        raise RuntimeError(f"wrk printed no rate:\n{done.stdout}\n{done.stderr}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", done.stdout)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", done.stdout
    )
    failed = (int(bad.group(1)) if bad else 0) + (
        sum(int(g) for g in errors.groups()) if errors else 0
    )
    return Rate(float(found.group(1)), failed)
