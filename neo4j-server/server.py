"""A local Neo4j 5 server with Graph Data Science, started from the jars Maven fetched.

netintel's team mode runs on Neo4j. This script gives a machine without Docker a real server:
Neo4j 5.26 LTS Community and OpenGDS 2.13 come from Maven Central through ``pom.xml`` beside
this file, and Neo4j's own launcher starts them on the loopback interface. It is what
``make neo4j`` runs, and what the test suite and ``bench/`` start their throwaway servers with.

Commands::

    python neo4j-server/server.py fetch                 # mvn package: jars/lib, jars/plugins
    python neo4j-server/server.py start [--home DIR]    # start, wait for GDS, print the URI
    python neo4j-server/server.py status [--home DIR]
    python neo4j-server/server.py stop [--home DIR]
    python neo4j-server/server.py run -- pytest ...     # a throwaway server around a command

A server lives in a *home* folder (default ``neo4j-server/instance``): ``conf/neo4j.conf``
(generated), ``data/``, ``logs/``, ``run/``, and ``server.json`` (the process id, URI and
user). Authentication is on: the first start sets a password generated at run time and keeps
it in ``credentials.env`` (readable by its owner only), never in the repository.

The generated configuration: Bolt only, on 127.0.0.1 and a free port (HTTP and HTTPS off);
heap and page cache sized for a 2-core, 24 GB machine unless given; GDS procedures allowed
unrestricted access (``dbms.security.procedures.unrestricted=gds.*``); no file access from
``LOAD CSV``; usage reports off.

The command line is the one Neo4j's own bootloader prints (``Neo4jCommand console
--dry-run``), so class path, JVM options and memory settings follow Neo4j's rules. Stopping
sends SIGTERM to the process this script started (checked against its recorded command line)
and SIGKILL only after a timeout.

Fetching and stopping need only the standard library; starting waits for the server to
answer through the ``neo4j`` driver (a netintel dependency: run it with the project's
Python).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
JARS = HERE / "jars"
DEFAULT_HOME = HERE / "instance"
USER = "neo4j"
#: JVM options of the Neo4j distribution's neo4j.conf that matter on Java 17.
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)


class ServerError(RuntimeError):
    """The server could not be fetched, started or stopped; the message says why."""


# -- what the machine has ---------------------------------------------------------------------
def java_version() -> int | None:
    """The major version of the ``java`` on PATH (or under ``JAVA_HOME``), or None."""
    java = _java()
    if java is None:
        return None
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    for token in (out.stderr + out.stdout).split():
        token = token.strip('"')
        if token[:1].isdigit():
            head = token.split(".")[0]
            major = int(token.split(".")[1]) if head == "1" else int(head.split("-")[0])
            return major
    return None


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def unavailable() -> str | None:
    """Why a server cannot be started here (no Java 17+, no jars and no Maven), or None."""
    version = java_version()
    if version is None:
        return "no Java on this machine: install OpenJDK 17 or later"
    if version < 17:
        return f"Java {version} found; Neo4j 5 needs Java 17 or later"
    if not fetched() and shutil.which("mvn") is None:
        return "no Maven to fetch Neo4j from Maven Central: install Maven (mvn)"
    return None


def fetched() -> bool:
    """True when the jars are in place and newer than ``pom.xml``."""
    stamp = JARS / ".fetched"
    return stamp.is_file() and stamp.stat().st_mtime >= POM.stat().st_mtime


def fetch(*, quiet: bool = True) -> Path:
    """Run Maven on ``pom.xml`` unless the jars are up to date; return the jars folder."""
    if fetched():
        return JARS
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError("no Maven (mvn) on PATH: it fetches Neo4j and GDS from Maven Central")
    for sub in ("lib", "plugins"):
        shutil.rmtree(JARS / sub, ignore_errors=True)
    cmd = [mvn, "-B", "-f", str(POM), "package"] + (["-q"] if quiet else [])
    done = subprocess.run(cmd, capture_output=quiet, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stdout or "")[-3000:] + (done.stderr or "")[-2000:]
        raise ServerError(f"Maven could not fetch Neo4j and GDS ({' '.join(cmd)}):\n{tail}")
    (JARS / ".fetched").touch()
    return JARS


# -- configuration ----------------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def render_conf(
    home: Path,
    port: int,
    *,
    heap: str = "1g",
    pagecache: str = "512m",
    auth: bool = True,
    default_database: str | None = None,
    extra: dict[str, str] | None = None,
) -> str:
    """The ``neo4j.conf`` of a local server (see the module notes)."""
    settings = {
        "server.directories.lib": str(JARS / "lib"),
        "server.directories.plugins": str(JARS / "plugins"),
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        "server.directories.import": str(home / "import"),
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true" if auth else "false",
        "dbms.security.procedures.unrestricted": "gds.*",
        "dbms.security.allow_csv_import_from_file_urls": "false",
        "dbms.usage_report.enabled": "false",
        "server.memory.heap.initial_size": heap,
        "server.memory.heap.max_size": heap,
        "server.memory.pagecache.size": pagecache,
        "db.tx_log.rotation.retention_policy": "2 files",
        "server.threads.worker_count": "8",
    }
    if default_database:
        settings["initial.dbms.default_database"] = default_database
    settings.update(extra or {})
    lines = ["# Generated by neo4j-server/server.py: edits are overwritten on the next start."]
    lines += [f"{k}={v}" for k, v in settings.items()]
    lines += [f"server.jvm.additional={opt}" for opt in JVM_OPTIONS]
    return "\n".join(lines) + "\n"


def _neo4j_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    env.pop("JAVA_OPTS", None)
    return env


def _launcher(home: Path, main: str, *args: str) -> list[str]:
    java = _java()
    if java is None:
        raise ServerError("no Java on this machine: install OpenJDK 17 or later")
    return [java, "-cp", str(JARS / "lib" / "*"), main, *args]


def server_command(home: Path) -> list[str]:
    """The command line Neo4j's bootloader would run for ``neo4j console`` on ``home``."""
    cmd = _launcher(home, "org.neo4j.server.startup.Neo4jCommand", "console", "--dry-run")
    done = subprocess.run(cmd, env=_neo4j_env(home), capture_output=True, text=True, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.strip()]
    if done.returncode != 0 or not lines:
        raise ServerError(
            f"Neo4j's bootloader refused the configuration in {home / 'conf'}:\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return shlex.split(lines[-1])


def admin(home: Path, *args: str, heap: str = "1g") -> subprocess.CompletedProcess[str]:
    """Run ``neo4j-admin ARGS`` (Neo4j's own admin tool) against the server in ``home``."""
    fetch()
    cmd = _launcher(home, "org.neo4j.server.startup.Neo4jAdminCommand", *args)
    env = _neo4j_env(home) | {"HEAP_SIZE": heap}
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)


# -- a running server -------------------------------------------------------------------------
@dataclass
class Server:
    """A started server: where it lives, how to reach it, and its process."""

    home: Path
    port: int
    pid: int
    password: str | None
    user: str = USER
    version: str = ""

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password) if self.password else None

    def env(self, prefix: str = "NETINTEL_NEO4J") -> dict[str, str]:
        """``{PREFIX}_URI``, ``_USER`` and ``_PASSWORD`` for this server."""
        out = {f"{prefix}_URI": self.uri, f"{prefix}_USER": self.user}
        if self.password:
            out[f"{prefix}_PASSWORD"] = self.password
        return out

    def stop(self, timeout: float = 60.0) -> None:
        stop(self.home, timeout=timeout)


def _state_file(home: Path) -> Path:
    return home / "server.json"


def _credentials_file(home: Path) -> Path:
    return home / "credentials.env"


def _read_password(home: Path) -> str | None:
    path = _credentials_file(home)
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        if name.strip().endswith("_PASSWORD"):
            return shlex.split(value)[0] if value.strip() else None
    return None


def _previous_port(home: Path) -> int | None:
    """The port of the last server in ``home`` when it is free again (a stable URI)."""
    path = _credentials_file(home)
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        if "_URI=" in line:
            port = int(line.rsplit(":", 1)[1].strip("'\""))
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    return None
            return port
    return None


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def _alive(pid: int, home: Path) -> bool:
    """True when ``pid`` runs and is the Neo4j server of ``home`` (not a reused pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True  # no /proc: trust the recorded pid
    return f"--home-dir={home}" in cmdline.replace("\0", " ")


def running(home: Path = DEFAULT_HOME) -> Server | None:
    """The server recorded in ``home`` if its process is still alive."""
    home = Path(home).resolve()
    state = _state_file(home)
    if not state.is_file():
        return None
    info = json.loads(state.read_text(encoding="utf-8"))
    if not _alive(int(info["pid"]), home):
        return None
    return Server(home, int(info["port"]), int(info["pid"]), _read_password(home), info["user"])


def _log_tail(home: Path, lines: int = 40) -> str:
    out = []
    for name in ("console.log", "neo4j.log"):
        path = home / "logs" / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            out.append(f"--- {path}\n" + "\n".join(text))
    return "\n".join(out) or "(no log written)"


def _set_initial_password(uri: str, password: str, deadline: float, proc: subprocess.Popen) -> None:
    """Change the default ``neo4j``/``neo4j`` credentials, as Neo4j asks on first login."""
    import neo4j

    while True:
        try:
            with (
                neo4j.GraphDatabase.driver(uri, auth=(USER, "neo4j")) as driver,
                driver.session(database="system") as session,
            ):
                session.run(
                    "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                    old="neo4j",
                    new=password,
                ).consume()
            return
        except (neo4j.exceptions.ServiceUnavailable, OSError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return  # _wait reports why
        time.sleep(0.5)


def _wait(server: Server, proc: subprocess.Popen, deadline: float) -> str:
    """Wait until the driver connects and ``RETURN gds.version()`` answers; return it."""
    import neo4j

    last: Exception | None = None
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with (
                neo4j.GraphDatabase.driver(server.uri, auth=server.auth) as driver,
                driver.session() as session,
            ):  # a plain session: no retries of its own, and no retry warnings
                return str(session.run("RETURN gds.version() AS version").single()[0])
        except neo4j.exceptions.AuthError as e:
            raise ServerError(f"Neo4j at {server.uri} refused the credentials: {e}") from e
        except Exception as e:  # not up yet: connection refused, database starting
            last = e
        time.sleep(0.5)
    why = "exited" if proc.poll() is not None else "did not answer in time"
    raise ServerError(f"Neo4j {why} ({server.uri}; last error: {last}):\n{_log_tail(server.home)}")


def start(
    home: str | Path = DEFAULT_HOME,
    *,
    port: int | None = None,
    auth: bool = True,
    heap: str = "1g",
    pagecache: str = "512m",
    default_database: str | None = None,
    timeout: float = 180.0,
) -> Server:
    """Start a server in ``home`` (created if missing) and wait until GDS answers.

    A server already running in ``home`` is returned as it is. With ``auth``, the first start
    sets a generated password (kept in ``home/credentials.env``); later starts reuse it.

    Raises
    ------
    ServerError
        If Java or the jars are missing, or the server exits or does not answer within
        ``timeout`` seconds (the message carries the end of its log).
    """
    home = Path(home).resolve()
    current = running(home)
    if current is not None:
        return current
    fetch()
    for sub in ("conf", "data", "logs", "run", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    port = port or _previous_port(home) or free_port()
    conf = render_conf(
        home, port, heap=heap, pagecache=pagecache, auth=auth, default_database=default_database
    )
    (home / "conf" / "neo4j.conf").write_text(conf, encoding="utf-8")
    password = _read_password(home) if auth else None
    first_login = auth and password is None
    if first_login:
        password = secrets.token_urlsafe(18)
    cmd = server_command(home)
    log = open(home / "logs" / "console.log", "ab")  # noqa: SIM115 - handed to the child
    try:
        proc = subprocess.Popen(
            cmd,
            env=_neo4j_env(home),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the server outlives `make neo4j`; Ctrl-C is not its
        )
    finally:
        log.close()
    server = Server(home, port, proc.pid, password)
    _state_file(home).write_text(
        json.dumps({"pid": proc.pid, "port": port, "uri": server.uri, "user": USER}),
        encoding="utf-8",
    )
    deadline = time.monotonic() + timeout
    try:
        if first_login and password:
            _set_initial_password(server.uri, password, deadline, proc)
        if password:
            _write_private(
                _credentials_file(home),
                "".join(f"export {k}={shlex.quote(v)}\n" for k, v in server.env().items()),
            )
        server.version = _wait(server, proc, deadline)
    except BaseException:
        stop(home)
        raise
    return server


def stop(home: str | Path = DEFAULT_HOME, *, timeout: float = 60.0) -> bool:
    """Stop the server recorded in ``home``: SIGTERM, then SIGKILL after ``timeout`` seconds.

    Only the process this script started is signalled. Returns False when none was running.
    """
    home = Path(home).resolve()
    state = _state_file(home)
    if not state.is_file():
        return False
    pid = int(json.loads(state.read_text(encoding="utf-8"))["pid"])
    was_running = _alive(pid, home)
    if was_running:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid, home) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.2)
        if _alive(pid, home):
            os.kill(pid, signal.SIGKILL)
            while _alive(pid, home):
                _reap(pid)
                time.sleep(0.1)
    _reap(pid)
    state.unlink(missing_ok=True)
    return was_running


def _reap(pid: int) -> None:
    """Collect the exit status of our own child, so it does not linger as a zombie."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


@contextlib.contextmanager
def throwaway(**kwargs: object) -> Iterator[Server]:
    """A server in a fresh temporary home, stopped and deleted afterwards."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="netintel-neo4j-"))
    try:
        server = start(home, **kwargs)  # type: ignore[arg-type]
        try:
            yield server
        finally:
            stop(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


# -- command line -----------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="neo4j-server/server.py",
        description="A local Neo4j 5 server with Graph Data Science, from Maven Central.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="fetch the jars with Maven (once)")
    for name, text in (
        ("start", "start a server and print how to reach it"),
        ("status", "say whether a server runs"),
        ("stop", "stop the server"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--home", type=Path, default=DEFAULT_HOME, help="server folder")
        if name == "start":
            p.add_argument("--port", type=int, help="Bolt port (default: a free one)")
            p.add_argument("--heap", default="2g", help="JVM heap (default 2g)")
            p.add_argument("--pagecache", default="2g", help="page cache (default 2g)")
            p.add_argument("--no-auth", action="store_true", help="no authentication")
    run = sub.add_parser("run", help="run a command with a throwaway server's URI and password")
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="-- command and arguments")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            print(fetch(quiet=False))
        elif args.command == "start":
            server = start(
                args.home,
                port=args.port,
                auth=not args.no_auth,
                heap=args.heap,
                pagecache=args.pagecache,
            )
            print(f"Neo4j with GDS {server.version or '(running)'} at {server.uri}")
            print(f"  pid {server.pid}, data in {server.home / 'data'}")
            if server.password:
                print(f"  credentials: source {_credentials_file(server.home)}")
            else:
                print(f"  export NETINTEL_NEO4J_URI={server.uri}")
            print("  stop it with: make neo4j-stop")
        elif args.command == "status":
            server = running(args.home)
            print(f"running at {server.uri} (pid {server.pid})" if server else "not running")
            return 0 if server else 3
        elif args.command == "stop":
            print("stopped" if stop(args.home) else "not running")
        else:
            cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
            if not cmd:
                parser.error("run needs a command after --")
            with throwaway() as server:
                env = os.environ | server.env() | server.env("NETINTEL_TEST_NEO4J")
                return subprocess.run(cmd, env=env, check=False).returncode
    except ServerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
