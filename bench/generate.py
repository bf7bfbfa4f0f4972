"""Write a synthetic ecosystem file and say how big, how fast and how much memory it took.

    .venv/bin/python bench/generate.py --orgs 100000 --seed 7 -o /tmp/eco.json

The baseline is a 1,000-organisation ecosystem written in the same run: the ratio of time
per organisation shows whether generation stays linear in size. Peak RSS is the process's
high-water mark (``getrusage``), printed beside the footprint after imports, so the part
the generator adds can be read off. A measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from app.io.synthetic import DEFAULT_SEED, MAX_ORGANIZATIONS, Written, write_document

BASELINE_ORGS = 1_000


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_write(path: Path, orgs: int, seed: int) -> tuple[Written, float]:
    """Write an ecosystem of ``orgs`` organisations to ``path``; return what and the seconds."""
    started = time.perf_counter()
    written = write_document(path, orgs, seed)
    return written, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, measure the baseline, then write and measure the requested file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orgs", type=int, default=100_000, help="organisations to generate")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("-o", "--output", type=Path, required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    if not 1 <= args.orgs <= MAX_ORGANIZATIONS:
        parser.error(f"--orgs must be between 1 and {MAX_ORGANIZATIONS:,}")

    after_imports = peak_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        _, base_seconds = timed_write(Path(folder) / "baseline.json", BASELINE_ORGS, args.seed)
    written, seconds = timed_write(args.output, args.orgs, args.seed)

    per_org = seconds / written.organizations
    base_per_org = base_seconds / BASELINE_ORGS
    python = sys.version.split()[0]
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, Python {python}")
    print(
        f"wrote {args.output}: {written.organizations:,} organisations, "
        f"{written.relationships:,} relationships "
        f"({written.relationships / written.organizations:.2f} per organisation), "
        f"{written.bytes / 1e6:,.1f} MB"
    )
    print(
        f"time: {seconds:.1f} s, {written.organizations / seconds:,.0f} organisations/s; "
        f"baseline {BASELINE_ORGS:,} organisations {base_seconds:.2f} s; "
        f"time per organisation {per_org / base_per_org:.2f}x baseline"
    )
    print(f"peak RSS: {peak_rss_mb():,.0f} MB ({after_imports:,.0f} MB after imports)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
