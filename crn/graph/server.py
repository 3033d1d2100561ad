"""Provisioning and running a local Neo4j Community server fetched from Maven Central."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from crn.config import Settings

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"  # neo4j-admin, from the same jars
SUPPORTED_JAVA = (17, 21)

POM_TEMPLATE = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.crn</groupId>
  <artifactId>crn-neo4j-server</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <description>The Neo4j Community server jars, resolved by crn from Maven Central.</description>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>{version}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j.app</groupId>
      <artifactId>neo4j-server</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""

JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "-Dfile.encoding=UTF-8",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
]


class ServerError(RuntimeError):
    """A problem with the local Neo4j server, with a message that says how to fix it."""


@dataclass(frozen=True)
class ServerStatus:
    """What `crn db status` reports."""

    running: bool
    pid: int | None
    bolt_uri: str
    http_port: int
    home: Path
    version: str

    def describe(self) -> str:
        """A one-line human summary."""
        state = f"running (pid {self.pid})" if self.running else "stopped"
        return f"Neo4j {self.version} {state} at {self.bolt_uri}; data in {self.home}"


class LocalNeo4j:
    """A Neo4j Community server managed by crn in a data folder.

    Parameters: ``settings`` gives the data folder (``neo4j_home``), the shared jar folder
    (``neo4j_dist``), the version, the Bolt and HTTP ports, heap and page-cache sizes and the start
    timeout. The initial password comes from NEO4J_PASSWORD, or is generated once and kept in
    ``<home>/auth`` (mode 600, never logged).
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = settings.neo4j_home
        self.dist = settings.neo4j_dist
        self.conf_dir = self.home / "conf"
        self.logs_dir = self.home / "logs"
        self.pid_file = self.home / "neo4j.pid"
        self.auth_file = self.home / "auth"

    # -- facts -------------------------------------------------------------------------------
    @property
    def bolt_uri(self) -> str:
        return f"neo4j://127.0.0.1:{self.settings.bolt_port}"

    @property
    def lib_dir(self) -> Path:
        return self.dist / "lib"

    def password(self) -> str:
        """The neo4j user's password: NEO4J_PASSWORD, else the one generated for this folder."""
        if self.settings.neo4j_password:
            return self.settings.neo4j_password
        if self.auth_file.exists():
            return self.auth_file.read_text().strip()
        self.home.mkdir(parents=True, exist_ok=True)
        value = "p" + secrets.token_urlsafe(18)
        self.auth_file.write_text(value)
        os.chmod(self.auth_file, 0o600)
        return value

    def pid(self) -> int | None:
        """The server's process id if it is alive."""
        if not self.pid_file.exists():
            return None
        try:
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError, PermissionError):
            return None
        return pid

    def status(self) -> ServerStatus:
        pid = self.pid()
        return ServerStatus(
            running=pid is not None,
            pid=pid,
            bolt_uri=self.bolt_uri,
            http_port=self.settings.http_port,
            home=self.home,
            version=self.settings.neo4j_version,
        )

    # -- prerequisites ---------------------------------------------------------------------
    def java(self) -> str:
        """A java executable of a version Neo4j 5.26 runs on (17 or 21).

        CRN_JAVA, when set, is the only candidate (an explicit choice); otherwise ``java`` on the
        PATH, then JAVA_HOME, then the JDKs under /usr/lib/jvm.
        """
        explicit = os.environ.get("CRN_JAVA")
        if explicit:
            candidates = [explicit]
        else:
            candidates = [c for c in (shutil.which("java"),) if c]
            if os.environ.get("JAVA_HOME"):
                candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
            candidates += [str(p) for p in sorted(Path("/usr/lib/jvm").glob("*/bin/java"))]
        seen: list[str] = []
        for candidate in candidates:
            major = java_major_version(candidate)
            if major is None:
                continue
            seen.append(f"{candidate} (Java {major})")
            if major in SUPPORTED_JAVA:
                return candidate
        if not seen:
            raise ServerError(
                "Java was not found"
                + (f" at CRN_JAVA={explicit}" if explicit else "")
                + ". Neo4j 5.26 needs Java 17 or 21: install it "
                "(e.g. `apt-get install openjdk-17-jre-headless`) or set CRN_JAVA to its java binary, "
                "or point crn at an existing Neo4j with NEO4J_URI."
            )
        raise ServerError(
            "No suitable Java found: Neo4j 5.26 needs Java 17 or 21, found "
            + ", ".join(seen)
            + ". Install Java 17 or set CRN_JAVA to a Java 17/21 binary."
        )

    def install(self, echo=print) -> Path:
        """Fetch the Neo4j server jars from Maven Central with mvn (once; later calls are free)."""
        marker = self.dist / ".complete"
        if marker.exists():
            return self.lib_dir
        mvn = shutil.which("mvn")
        if mvn is None:
            raise ServerError(
                "Maven (mvn) was not found and NEO4J_URI is not set. crn needs a Neo4j database; "
                "there are three ways to get one:\n"
                "  1. install Maven and Java 17 (e.g. `apt-get install maven openjdk-17-jdk-headless`) "
                "and crn fetches Neo4j Community from Maven Central;\n"
                "  2. with Docker: `docker compose up -d neo4j`, then "
                "NEO4J_URI=neo4j://127.0.0.1:7687 NEO4J_PASSWORD=...;\n"
                "  3. point NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD at an existing Neo4j >= 5.26 "
                "(a server or Aura)."
            )
        self.java()
        self.dist.mkdir(parents=True, exist_ok=True)
        pom = self.dist / "pom.xml"
        pom.write_text(POM_TEMPLATE.format(version=self.settings.neo4j_version))
        echo(f"Fetching Neo4j {self.settings.neo4j_version} from Maven Central (once)...")
        result = subprocess.run(
            [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
             f"-DoutputDirectory={self.lib_dir}", "-DincludeScope=runtime"],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise ServerError(
                f"mvn could not fetch Neo4j {self.settings.neo4j_version} from Maven Central:\n{tail}\n"
                "Check the network can reach repo.maven.apache.org, or set NEO4J_URI to an existing Neo4j."
            )
        marker.write_text(self.settings.neo4j_version)
        return self.lib_dir

    # -- configuration ---------------------------------------------------------------------
    def write_config(self) -> None:
        """Write neo4j.conf: loopback only, our ports, memory sized for a small machine, and every
        transaction bounded in time (``bulk_timeout``) and all of them together in memory
        (``neo4j_transaction_memory``)."""
        for sub in ("conf", "data", "logs", "plugins", "import", "run"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        s = self.settings
        (self.conf_dir / "neo4j.conf").write_text(
            "# Written by crn (crn/graph/server.py); edits are overwritten on `crn db start`.\n"
            "server.default_listen_address=127.0.0.1\n"
            "server.default_advertised_address=127.0.0.1\n"
            f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}\n"
            f"server.bolt.advertised_address=127.0.0.1:{s.bolt_port}\n"
            f"server.http.listen_address=127.0.0.1:{s.http_port}\n"
            f"server.http.advertised_address=127.0.0.1:{s.http_port}\n"
            "server.https.enabled=false\n"
            f"server.memory.heap.initial_size={s.heap}\n"
            f"server.memory.heap.max_size={s.heap}\n"
            f"server.memory.pagecache.size={s.pagecache}\n"
            # every transaction ends: crn's own are shorter (driver-side timeouts); this stops anyone else's
            f"db.transaction.timeout={s.bulk_timeout:g}s\n"
            f"dbms.memory.transaction.total.max={s.neo4j_transaction_memory}\n"
            "dbms.usage_report.enabled=false\n"
            "dbms.security.auth_enabled=true\n"
            "db.logs.query.enabled=OFF\n"
            "server.directories.import=import\n"
        )

    def _is_fresh(self) -> bool:
        """True before the server's first start in this folder (no system database yet)."""
        return not (self.home / "data" / "dbms").exists()

    def _replace_default_password(self) -> bool:
        """On a fresh server, change the built-in neo4j/neo4j password to ours over Bolt.

        Done over Bolt with a parameter rather than with ``neo4j-admin dbms set-initial-password``, whose
        command line would show the password to every local user (``ps``). Returns True once done (or
        when the default password is already gone); False while the server is still starting.
        """
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError

        driver = GraphDatabase.driver(self.bolt_uri, auth=("neo4j", "neo4j"))
        try:
            with driver.session(database="system") as session:
                session.run("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                            old="neo4j", new=self.password()).consume()
            return True
        except AuthError:
            return True  # the default password was already replaced
        except Exception:  # noqa: BLE001 - still starting; the caller retries until its deadline
            return False
        finally:
            driver.close()

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.conf_dir)
        return env

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, echo=print) -> bool:
        """Start the server and wait until Bolt answers. Returns False if it was already running."""
        if self.pid() is not None:
            echo(f"Neo4j is already running (pid {self.pid()}) at {self.bolt_uri}; nothing to do.")
            return False
        java = self.java()
        self.install(echo=echo)
        for port, name in ((self.settings.bolt_port, "CRN_BOLT_PORT"), (self.settings.http_port, "CRN_HTTP_PORT")):
            if port_in_use(port):
                raise ServerError(
                    f"Port {port} on 127.0.0.1 is already taken by another program. "
                    f"Stop it, or choose another port with {name}=<port>."
                )
        self.write_config()
        fresh = self._is_fresh()
        heap = self.settings.heap
        cmd = [java, f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS, "-cp", f"{self.lib_dir}/*", MAIN_CLASS,
               f"--home-dir={self.home}", f"--config-dir={self.conf_dir}"]
        console = open(self.logs_dir / "console.log", "ab")
        process = subprocess.Popen(
            cmd, stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.home, env=self._env(), start_new_session=True,
        )
        self.pid_file.write_text(str(process.pid))
        echo(f"Starting Neo4j {self.settings.neo4j_version} (pid {process.pid}) at {self.bolt_uri}...")
        self._wait_until_ready(process, fresh=fresh)
        echo("Neo4j is ready.")
        return True

    def _wait_until_ready(self, process: subprocess.Popen, fresh: bool = False) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        deadline = time.monotonic() + self.settings.start_timeout
        tried_default = fresh
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise ServerError(
                    f"Neo4j exited during start (code {process.returncode}). Last lines of its log:\n"
                    + self.log_tail()
                )
            if fresh and port_in_use(self.settings.bolt_port):
                fresh = not self._replace_default_password()
            if not fresh and port_in_use(self.settings.bolt_port):
                driver = GraphDatabase.driver(self.bolt_uri, auth=(self.settings.neo4j_user, self.password()))
                try:
                    driver.execute_query("RETURN 1", database_=self.settings.neo4j_database)
                    return
                except AuthError as exc:
                    if not tried_default:  # a first start that was interrupted before the change
                        tried_default = True
                        fresh = not self._replace_default_password()
                        continue
                    raise ServerError(
                        f"Neo4j in {self.home} refused the password ({exc.message}). The folder was created "
                        "with another password: set NEO4J_PASSWORD to it, or remove the folder to start afresh."
                    ) from exc
                except (ServiceUnavailable, OSError, Exception):  # noqa: BLE001 - still starting
                    pass
                finally:
                    driver.close()
            time.sleep(0.5)
        raise ServerError(
            f"Neo4j did not answer on {self.bolt_uri} within {self.settings.start_timeout:.0f} s "
            "(raise CRN_NEO4J_START_TIMEOUT if the machine is slow). Last lines of its log:\n" + self.log_tail()
        )

    def stop(self, echo=print, timeout: float = 60.0) -> bool:
        """Stop the server (SIGTERM, then SIGKILL after the timeout). False if it was not running."""
        pid = self.pid()
        if pid is None:
            echo("Neo4j is not running.")
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
                _reap(pid)
            except ProcessLookupError:
                break
            time.sleep(0.3)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        echo(f"Neo4j (pid {pid}) stopped.")
        return True

    # -- neo4j-admin (ops: backup and restore) ---------------------------------------------------
    def admin(self, args: list[str], stdin=None, timeout: float = 3600.0) -> str:
        """Run ``neo4j-admin <args>`` from the managed distribution against this folder; its output.

        Raises ServerError with the tool's last lines when it fails.
        """
        java = self.java()
        self.install()
        self.write_config()
        cmd = [java, "-Xmx512m", *JVM_FLAGS, "-cp", f"{self.lib_dir}/*", ADMIN_CLASS, *args]
        result = subprocess.run(cmd, cwd=self.home, env=self._env(), stdin=stdin, capture_output=True,
                                text=True, timeout=timeout)
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0:
            tail = "\n".join(output.splitlines()[-15:])
            raise ServerError(f"neo4j-admin {' '.join(args[:2])} failed (exit {result.returncode}):\n{tail}")
        return output

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's logs (neo4j.log and the console)."""
        chunks = []
        for name in ("neo4j.log", "console.log"):
            path = self.logs_dir / name
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                chunks.append(f"--- {path} ---\n" + "\n".join(text))
        return "\n".join(chunks) or f"(no logs yet in {self.logs_dir})"


def _reap(pid: int) -> None:
    """Collect a child that has exited so it does not linger as a zombie."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            raise ProcessLookupError
    except ChildProcessError:
        pass


def java_major_version(java: str) -> int | None:
    """The major version of a java binary, or None if it does not run."""
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True if something accepts connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
