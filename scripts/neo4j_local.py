#!/usr/bin/env python3
"""Run a real Neo4j 5.26 Community server for tests, without Docker.

The server is the small Java program in ``scripts/neo4j-launcher`` (embedded Neo4j plus the
Bolt connector, built from Maven Central artifacts). This module builds it once into a cache,
starts it on a loopback port with its store in a directory of your choice, waits until Bolt
answers, and stops it again. Because the store lives in that directory, ``restart()`` on the
same port and directory keeps the data, which is what "Neo4j went away, then came back" tests
need.

Python API::

    from neo4j_local import start

    with start(tmp_path / "neo4j") as server:      # free port, default password
        driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))
        ...
        server.restart()                              # same port, same data

CLI::

    python scripts/neo4j_local.py prepare            # build/fetch only (warms the cache)
    python scripts/neo4j_local.py run -- pytest -q   # server in a temp dir around a command
    python scripts/neo4j_local.py serve --port 7687 --data-dir /tmp/n4j   # until Ctrl-C
    python scripts/neo4j_local.py admin --data-dir /tmp/n4j -- database import full ...

``admin`` runs Neo4j's own ``neo4j-admin`` (from the same Maven Central jars) on the store in
``--data-dir``, which no server may be using at the time; ``solgraph db import --admin``
takes that command line to run Neo4j's bulk importer.

``run`` exports SOLGRAPH_NEO4J_URI, SOLGRAPH_NEO4J_USER and SOLGRAPH_NEO4J_PASSWORD to the
command and exits with its exit code.

Environment: SOLGRAPH_NEO4J_CACHE (cache dir, default ~/.cache/solgraph/neo4j-5.26),
SOLGRAPH_NEO4J_HEAP (JVM heap, default 512m), SOLGRAPH_NEO4J_JVM_ARGS (extra JVM options, e.g.
``-XX:TieredStopAtLevel=1`` to start faster on a busy machine), SOLGRAPH_MAVEN_ARGS (extra
Maven arguments, e.g. ``-o`` or ``-Dmaven.repo.local=...``), JAVA_HOME (which java to use).

Only the standard library is used, so this runs before any project dependency is installed.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import hashlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

LAUNCHER_DIR = Path(__file__).resolve().parent / "neo4j-launcher"
READY_MARKER = "SOLGRAPH-NEO4J-READY"
PASSWORD_ENV = "SOLGRAPH_NEO4J_LAUNCHER_PASSWORD"
DEFAULT_USER = "neo4j"
DEFAULT_PASSWORD = "solgraph-test-password"
DEFAULT_HEAP = "512m"
DEFAULT_START_TIMEOUT = 120.0
DEFAULT_STOP_TIMEOUT = 30.0
JAR_NAME = "neo4j-launcher.jar"
LOG_NAME = "launcher.log"
STALE_LAUNCHER_SECONDS = 3 * 24 * 3600

# Bolt handshake: magic preamble, then four proposed versions as (0, range, minor, major).
_BOLT_MAGIC = bytes.fromhex("6060B017")
_BOLT_PROPOSALS = bytes.fromhex("00040405 00000404 00000000 00000000")

_LIVE_SERVERS: set[Neo4jServer] = set()  # started and not yet stopped, for the atexit hook


class Neo4jLocalError(RuntimeError):
    """The launcher could not be built, or the server did not start or stop as asked."""


# --------------------------------------------------------------------------- build / cache


def cache_root() -> Path:
    """Directory that holds built launchers (``SOLGRAPH_NEO4J_CACHE`` overrides the default)."""
    env = os.environ.get("SOLGRAPH_NEO4J_CACHE")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "solgraph" / "neo4j-5.26"


def neo4j_version() -> str:
    """The Neo4j version the launcher's pom.xml pins (for messages and reports)."""
    pom = (LAUNCHER_DIR / "pom.xml").read_text(encoding="utf-8")
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", pom)
    return match.group(1).strip() if match else "unknown"


def _source_digest() -> str:
    """Hash of the launcher's pom and sources: a change to either means a rebuild."""
    sha = hashlib.sha256()
    files = [LAUNCHER_DIR / "pom.xml", *sorted((LAUNCHER_DIR / "src").rglob("*"))]
    for path in files:
        if path.is_file():
            sha.update(path.relative_to(LAUNCHER_DIR).as_posix().encode())
            sha.update(b"\0")
            sha.update(path.read_bytes())
            sha.update(b"\0")
    return sha.hexdigest()[:16]


def _find_executable(name: str, env_home: str | None = None) -> str:
    if env_home:
        candidate = Path(env_home) / "bin" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise Neo4jLocalError(f"'{name}' was not found on PATH; the local Neo4j needs it")
    return found


def java_executable() -> str:
    """The ``java`` to run the launcher with (JAVA_HOME first, then PATH); Java 17+ needed."""
    return _find_executable("java", os.environ.get("JAVA_HOME"))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive file lock, so concurrent builds into one cache do not collide."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(*, force: bool = False, verbose: bool = False) -> Path:
    """Build the launcher with Maven unless the cache already has this version; return the jar.

    The jar's manifest class path points at ``lib/`` next to it, which holds every runtime
    dependency, so a cached launcher runs without Maven or the network.
    """
    root = cache_root()
    target = root / f"launcher-{_source_digest()}"
    jar = target / JAR_NAME
    if jar.is_file() and not force:
        _mark_used(target)
        return jar
    with _locked(root / ".lock"):
        if jar.is_file() and not force:
            _mark_used(target)
            return jar  # another process built it while we waited
        _build_into(target, verbose=verbose)
        _mark_used(target)
        _prune_unused(root, keep=target)
    return jar


def _mark_used(target: Path) -> None:
    with contextlib.suppress(OSError):
        (target / ".last-used").touch()


def _prune_unused(root: Path, keep: Path) -> None:
    """Delete launchers of other source versions not used for a while.

    Recently used ones are kept: a server started from them may still be loading classes.
    """
    cutoff = time.time() - STALE_LAUNCHER_SECONDS
    for other in root.glob("launcher-*"):
        if other == keep or not other.is_dir():
            continue
        stamp = other / ".last-used"
        used = stamp.stat().st_mtime if stamp.exists() else other.stat().st_mtime
        if used < cutoff:
            shutil.rmtree(other, ignore_errors=True)


def _build_into(target: Path, *, verbose: bool) -> None:
    mvn = _find_executable("mvn", os.environ.get("MAVEN_HOME"))
    root = target.parent
    build_dir = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        cmd = [
            mvn,
            "-B",
            *([] if verbose else ["-q"]),
            "-f",
            str(LAUNCHER_DIR / "pom.xml"),
            f"-Dlauncher.buildDir={build_dir}",
            *shlex.split(os.environ.get("SOLGRAPH_MAVEN_ARGS", "")),
            "package",
        ]
        started = time.monotonic()
        proc = subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=None if verbose else subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout or "").splitlines()[-40:])
            raise Neo4jLocalError(
                f"building the Neo4j launcher failed (exit {proc.returncode}): "
                f"{shlex.join(cmd)}\n{tail}"
            )
        staging = Path(tempfile.mkdtemp(prefix=".stage-", dir=root))
        shutil.move(str(build_dir / JAR_NAME), staging / JAR_NAME)
        shutil.move(str(build_dir / "lib"), staging / "lib")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
        if verbose:
            print(f"built Neo4j launcher in {time.monotonic() - started:.1f}s", file=sys.stderr)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
        for leftover in root.glob(".stage-*"):
            shutil.rmtree(leftover, ignore_errors=True)


# --------------------------------------------------------------------------- server


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def bolt_handshake(host: str, port: int, timeout: float = 2.0) -> bool:
    """True if a Bolt server on host:port accepts the connection and agrees on a version."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(_BOLT_MAGIC + _BOLT_PROPOSALS)
            reply = b""
            while len(reply) < 4:
                chunk = sock.recv(4 - len(reply))
                if not chunk:
                    return False
                reply += chunk
            return reply != b"\0\0\0\0"
    except OSError:
        return False


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


class Neo4jServer:
    """One local Neo4j server process: Bolt on ``host:port``, store files in ``data_dir``.

    ``stop()`` and ``start()`` may be called repeatedly; the port and directory stay the same,
    so data survives. Use as a context manager to always stop it. The JVM also exits by itself
    when this Python process dies (it watches its stdin pipe and our pid), so CI never keeps an
    orphaned server.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        port: int | None = None,
        *,
        user: str = DEFAULT_USER,
        password: str = DEFAULT_PASSWORD,
        host: str = "127.0.0.1",
        heap: str | None = None,
        start_timeout: float = DEFAULT_START_TIMEOUT,
        jvm_args: Sequence[str] = (),
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self._port_given = port is not None
        self.port = port if port is not None else free_port(host)
        self.host = host
        self.user = user
        self.password = password
        self.heap = heap or os.environ.get("SOLGRAPH_NEO4J_HEAP", DEFAULT_HEAP)
        self.start_timeout = start_timeout
        self.jvm_args = list(jvm_args)
        self._proc: subprocess.Popen[bytes] | None = None
        self._owner_pid = os.getpid()

    @property
    def uri(self) -> str:
        """Bolt URI for the official driver, e.g. ``bolt://127.0.0.1:7687``."""
        return f"bolt://{self.host}:{self.port}"

    @property
    def log_path(self) -> Path:
        """The launcher's own log (Neo4j's detailed log is ``logs/debug.log`` beside it)."""
        return self.data_dir / "logs" / LOG_NAME

    @property
    def pid(self) -> int | None:
        """Process id of the running JVM, or None."""
        return self._proc.pid if self.is_running() and self._proc else None

    def is_running(self) -> bool:
        """True while the JVM process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> Neo4jServer:
        """Launch the JVM and wait until Bolt accepts logins; raise Neo4jLocalError if not."""
        if self.is_running():
            return self
        jar = prepare()
        attempts = 1 if self._port_given else 3
        for attempt in range(attempts):
            try:
                self._launch(jar)
                return self
            except Neo4jLocalError as exc:
                if attempt + 1 < attempts and "already in use" in str(exc):
                    self.port = free_port(self.host)  # lost a race for the port we picked
                    continue
                raise
        raise AssertionError("unreachable")

    def _command(self, jar: Path) -> list[str]:
        return [
            java_executable(),
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:-OmitStackTraceInFastThrow",
            "-Djdk.nio.maxCachedBufferSize=1024",
            "-Dio.netty.tryReflectionSetAccessible=true",
            *shlex.split(os.environ.get("SOLGRAPH_NEO4J_JVM_ARGS", "")),
            *self.jvm_args,
            "-jar",
            str(jar),
            "--home",
            str(self.data_dir),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--user",
            self.user,
            "--watch-stdin",
            "--parent-pid",
            str(os.getpid()),
        ]

    def _launch(self, jar: Path) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env[PASSWORD_ENV] = self.password
        with self.log_path.open("ab") as log:
            log.write(f"--- neo4j_local: starting on {self.uri} ---\n".encode())
            log.flush()
            offset = log.tell()
            self._proc = subprocess.Popen(
                self._command(jar),
                stdin=subprocess.PIPE,  # never written; its EOF tells the JVM we are gone
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # our terminal's Ctrl-C goes to us; we stop the JVM
            )
        _LIVE_SERVERS.add(self)
        try:
            self._wait_ready(offset)
        except BaseException:
            self._terminate(timeout=10.0)
            raise

    def _wait_ready(self, offset: int) -> None:
        deadline = time.monotonic() + self.start_timeout
        marker_seen = False
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise Neo4jLocalError(
                    f"Neo4j exited with code {self._proc.returncode} before it was ready "
                    f"({self.uri}, data {self.data_dir}). Log tail:\n{_tail(self.log_path)}"
                )
            if not marker_seen:
                with self.log_path.open("rb") as log:
                    log.seek(offset)
                    marker_seen = READY_MARKER.encode() in log.read()
            if marker_seen and bolt_handshake(self.host, self.port):
                return
            time.sleep(0.2)
        raise Neo4jLocalError(
            f"Neo4j did not answer Bolt on {self.uri} within {self.start_timeout:.0f}s "
            f"(data {self.data_dir}). Log tail:\n{_tail(self.log_path)}"
        )

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> None:
        """Shut down cleanly (SIGTERM), SIGKILL after ``timeout`` seconds; wait for the exit."""
        self._terminate(timeout)

    def kill(self) -> None:
        """Kill the JVM at once (SIGKILL), like a crash; the store recovers on the next start."""
        self._terminate(timeout=0.0)

    def _terminate(self, timeout: float) -> None:
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM if timeout > 0 else signal.SIGKILL)
            try:
                proc.wait(timeout=timeout if timeout > 0 else None)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                proc.wait()
        if proc.stdin:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        self._proc = None
        _LIVE_SERVERS.discard(self)

    def restart(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> Neo4jServer:
        """Stop, then start again on the same port and data directory; wait until ready."""
        self.stop(timeout)
        self._port_given = True  # clients hold this URI: never move to another port
        return self.start()

    def env(self) -> dict[str, str]:
        """The SOLGRAPH_NEO4J_* variables that point a client at this server."""
        return {
            "SOLGRAPH_NEO4J_URI": self.uri,
            "SOLGRAPH_NEO4J_USER": self.user,
            "SOLGRAPH_NEO4J_PASSWORD": self.password,
        }

    def __enter__(self) -> Neo4jServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else "stopped"
        return f"Neo4jServer({self.uri}, data_dir={str(self.data_dir)!r}, {state})"


def admin_command(data_dir: str | os.PathLike[str], arguments: Sequence[str]) -> list[str]:
    """The command that runs ``neo4j-admin ARGUMENTS`` on the store in ``data_dir`` (the
    launcher's ``admin`` mode), building the launcher first if needed."""
    return [
        java_executable(),
        *shlex.split(os.environ.get("SOLGRAPH_NEO4J_JVM_ARGS", "")),
        "-jar",
        str(prepare()),
        "admin",
        "--home",
        str(Path(data_dir).resolve()),
        "--",
        *arguments,
    ]


def start(
    data_dir: str | os.PathLike[str],
    port: int | None = None,
    password: str = DEFAULT_PASSWORD,
    *,
    user: str = DEFAULT_USER,
    heap: str | None = None,
    timeout: float = DEFAULT_START_TIMEOUT,
) -> Neo4jServer:
    """Start a server (a free loopback port when ``port`` is None) and return its handle."""
    server = Neo4jServer(
        data_dir, port, user=user, password=password, heap=heap, start_timeout=timeout
    )
    return server.start()


@atexit.register
def _stop_all() -> None:
    """Stop servers still running when the interpreter exits normally."""
    for server in list(_LIVE_SERVERS):
        if server._owner_pid != os.getpid():
            continue  # a forked child must not stop its parent's server
        with contextlib.suppress(Exception):
            server.stop(timeout=15.0)


# --------------------------------------------------------------------------- CLI


class _TerminatedError(BaseException):
    """Raised from the SIGTERM handler so that ``finally`` blocks stop the server."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _TerminatedError()


def _cmd_prepare(args: argparse.Namespace) -> int:
    started = time.monotonic()
    jar = prepare(force=args.force, verbose=args.verbose)
    print(f"Neo4j {neo4j_version()} launcher ready: {jar} ({time.monotonic() - started:.1f}s)")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        print("neo4j_local run: no command given (use: run -- CMD ARGS...)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _on_sigterm)
    tmp = None if args.data_dir else tempfile.mkdtemp(prefix="solgraph-neo4j-")
    data_dir = Path(args.data_dir or tmp or ".")
    server = Neo4jServer(data_dir, args.port, password=args.password)
    child: subprocess.Popen[bytes] | None = None
    try:
        try:
            started = time.monotonic()
            server.start()
        except Neo4jLocalError as exc:
            print(f"neo4j_local: cannot start Neo4j: {exc}", file=sys.stderr)
            return 3
        print(
            f"neo4j_local: Neo4j {neo4j_version()} on {server.uri} "
            f"(ready in {time.monotonic() - started:.1f}s)",
            file=sys.stderr,
        )
        child = subprocess.Popen(command, env={**os.environ, **server.env()})
        try:
            code = child.wait()
        except (KeyboardInterrupt, _TerminatedError):
            child.send_signal(signal.SIGTERM)
            try:
                code = child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                code = child.wait()
        return code if code >= 0 else 128 - code
    except KeyboardInterrupt:
        return 130
    except _TerminatedError:
        return 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        server.stop()
        if tmp and not args.keep_data:
            shutil.rmtree(tmp, ignore_errors=True)


def _cmd_serve(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _on_sigterm)
    data_dir = Path(args.data_dir)
    server = Neo4jServer(data_dir, args.port, password=args.password)
    try:
        server.start()
        print(f"Neo4j {neo4j_version()} on {server.uri} user={server.user} (Ctrl-C stops it)")
        while server.is_running():
            time.sleep(1.0)
        print(f"Neo4j exited unexpectedly. Log tail:\n{_tail(server.log_path)}", file=sys.stderr)
        return 1
    except Neo4jLocalError as exc:
        print(f"neo4j_local: cannot start Neo4j: {exc}", file=sys.stderr)
        return 3
    except (KeyboardInterrupt, _TerminatedError):
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        server.stop()


def _cmd_admin(args: argparse.Namespace) -> int:
    arguments = list(args.arguments)
    if arguments and arguments[0] == "--":
        arguments = arguments[1:]
    if not arguments:
        print("neo4j_local admin: no arguments (admin --data-dir DIR -- ARGS)", file=sys.stderr)
        return 2
    return subprocess.run(admin_command(args.data_dir, arguments), check=False).returncode


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python scripts/neo4j_local.py``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)

    p_prepare = sub.add_parser("prepare", help="build/fetch the launcher into the cache only")
    p_prepare.add_argument("--force", action="store_true", help="rebuild even if cached")
    p_prepare.add_argument("--verbose", "-v", action="store_true", help="show Maven output")
    p_prepare.set_defaults(func=_cmd_prepare)

    p_run = sub.add_parser("run", help="run a command against a fresh server")
    p_run.add_argument("--port", type=int, default=None, help="Bolt port (default: a free one)")
    p_run.add_argument("--password", default=DEFAULT_PASSWORD)
    p_run.add_argument("--data-dir", default=None, help="store dir (default: a temp dir)")
    p_run.add_argument("--keep-data", action="store_true", help="keep the temp store dir")
    p_run.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD ARGS...")
    p_run.set_defaults(func=_cmd_run)

    p_serve = sub.add_parser("serve", help="run a server in the foreground until Ctrl-C")
    p_serve.add_argument("--port", type=int, default=7687)
    p_serve.add_argument("--password", default=DEFAULT_PASSWORD)
    p_serve.add_argument("--data-dir", required=True)
    p_serve.set_defaults(func=_cmd_serve)

    p_admin = sub.add_parser("admin", help="run neo4j-admin on a stopped server's store")
    p_admin.add_argument("--data-dir", required=True)
    p_admin.add_argument("arguments", nargs=argparse.REMAINDER, help="-- NEO4J-ADMIN-ARGS...")
    p_admin.set_defaults(func=_cmd_admin)

    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except Neo4jLocalError as exc:
        print(f"neo4j_local: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
