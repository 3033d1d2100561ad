"""Every crn setting in one place: environment variables, their defaults and what they mean."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

NEO4J_VERSION_DEFAULT = "5.26.0"
BULK_TIMEOUT_DEFAULT = 900.0  # CRN_BULK_TIMEOUT, seconds
STRENGTH_HALF_LIFE_DAYS_DEFAULT = 90.0  # CRN_STRENGTH_HALF_LIFE_DAYS; also the intel functions' default


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name}={raw!r} is not a whole number; set it to e.g. {default}") from exc
    if minimum is not None and value < minimum:
        raise SystemExit(f"{name}={raw!r} is below {minimum}; set it to e.g. {default}")
    return value


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{name}={raw!r} is not a yes/no value; set it to 1 or 0")


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _env_networks(name: str) -> tuple[IPNetwork, ...]:
    networks = []
    for part in (_env(name) or "").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError as exc:
                raise SystemExit(f"{name}: {part.strip()!r} is not an IP network ({exc}); "
                                 "write CIDRs separated by commas, e.g. 10.1.0.0/16,192.168.5.7/32") from exc
    return tuple(networks)


def _env_float(name: str, default: float) -> float:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SystemExit(f"{name}={raw!r} is not a number; set it to e.g. {default}") from exc


@dataclass(frozen=True)
class Settings:
    """crn's configuration, read from the environment once per process.

    Parameters (environment variable, default):

    - ``neo4j_uri`` (NEO4J_URI, unset): an existing Neo4j >= 5.26. When set, crn never downloads or
      starts a server. Use ``neo4j://`` (routing) for clusters and Aura.
    - ``neo4j_user`` / ``neo4j_password`` / ``neo4j_database`` (NEO4J_USER=neo4j, NEO4J_PASSWORD,
      NEO4J_DATABASE=neo4j).
    - ``home`` (CRN_HOME=.crn): where crn keeps local state.
    - ``neo4j_home`` (CRN_NEO4J_HOME=<home>/neo4j): the managed server's data folder.
    - ``neo4j_dist`` (CRN_NEO4J_DIST=~/.cache/crn/neo4j-<version>): the downloaded server jars,
      shared by every data folder.
    - ``neo4j_version`` (CRN_NEO4J_VERSION=5.26.0).
    - ``bolt_port`` / ``http_port`` (CRN_BOLT_PORT=7687, CRN_HTTP_PORT=7474).
    - ``heap`` / ``pagecache`` (CRN_NEO4J_HEAP=2g, CRN_NEO4J_PAGECACHE=2g): sized for 2 cores / 24 GB.
    - ``start_timeout`` (CRN_NEO4J_START_TIMEOUT=120 seconds).
    - ``host`` / ``port`` (CRN_HOST=127.0.0.1, CRN_PORT=8000): the web server.
    - ``tls_cert`` / ``tls_key`` (CRN_TLS_CERT, CRN_TLS_KEY, unset): PEM certificate (chain) and unencrypted
      private key; when both are set `crn serve` speaks HTTPS only (one without the other refuses to start).
    - ``forwarded_allow_ips`` (CRN_FORWARDED_ALLOW_IPS, unset): the reverse proxies whose X-Forwarded-For /
      X-Forwarded-Proto headers `crn serve` believes (comma-separated addresses or networks, e.g. 127.0.0.1);
      unset trusts no proxy headers at all.
    - ``hsts_seconds`` (CRN_HSTS_SECONDS=31536000): max-age of the Strict-Transport-Security header sent on
      every HTTPS answer (direct TLS or a trusted proxy's https); 0 sends none.
    - ``dev_mode`` (CRN_DEV=0): GraphiQL and introspection on.
    - ``max_page_size`` (CRN_MAX_PAGE_SIZE=100), ``max_query_depth`` (CRN_MAX_QUERY_DEPTH=12),
      ``max_aliases`` (CRN_MAX_ALIASES=30), ``max_tokens`` (CRN_MAX_TOKENS=2000),
      ``max_body_bytes`` (CRN_MAX_BODY_KB=256: the largest non-multipart /graphql request body, document and
      variables together; refused with 413 from Content-Length or while the body streams).
    - request cost (see crn/schema/limits.py and crn/schema/workers.py): ``max_query_cost``
      (CRN_MAX_QUERY_COST=25000, the cost budget of one GraphQL operation, computed before it runs),
      ``max_fields`` (CRN_MAX_FIELDS=2000, field selections a document may hold once its fragments are
      expanded), ``query_timeout`` (CRN_QUERY_TIMEOUT=30 seconds, every Neo4j transaction run for a
      request), ``bulk_timeout`` (CRN_BULK_TIMEOUT=900 seconds, transactions of imports, the demo load and
      migrations; also the managed server's ``db.transaction.timeout``), ``neo4j_transaction_memory``
      (CRN_NEO4J_TX_MEMORY=1g, the managed server's ``dbms.memory.transaction.total.max``), ``db_workers``
      (CRN_DB_WORKERS=16, threads running the web server's database work), ``db_user_concurrency``
      (CRN_DB_USER_CONCURRENCY=4, database calls one user may run at once) and ``db_user_queue``
      (CRN_DB_USER_QUEUE=64, calls of one user that may wait for a slot; more are refused).
    - ``strength_half_life_days`` (CRN_STRENGTH_HALF_LIFE_DAYS=90).
    - ``sla_due_soon_hours`` (CRN_SLA_DUE_SOON_HOURS=4): an open ticket whose SLA ends within this many hours
      is "due soon" in the ticket queue and raises a home alert.
    - ``decay_alert_days`` (CRN_DECAY_ALERT_DAYS=45): a decision maker on an open deal of my account whom I know but
      have not been in an interaction with for this many days raises a "decaying relationship" home alert.
    - ``smtp_host`` / ``smtp_port`` / ``smtp_sender`` (CRN_SMTP_HOST=127.0.0.1, CRN_SMTP_PORT=25,
      CRN_SMTP_SENDER=crn@localhost).
    - ``webhook_secret`` (CRN_WEBHOOK_SECRET): HMAC key for webhook signatures.
    - ``upload_limit_bytes`` (CRN_UPLOAD_LIMIT_MB=50): the largest file ``importFile`` takes; a multipart
      request body may have this plus 64 KiB, refused (413) from its Content-Length or while it streams.
    - XLSX reading caps (a zip bomb, or a sheet reaching XFD1048576, is refused before a row is read):
      ``xlsx_max_uncompressed_bytes`` (CRN_XLSX_MAX_UNCOMPRESSED_MB=500, the archive's members unpacked),
      ``xlsx_max_compression_ratio`` (CRN_XLSX_MAX_COMPRESSION_RATIO=100, per member above 1 MiB),
      ``xlsx_max_rows`` (CRN_XLSX_MAX_ROWS=1000000), ``xlsx_max_columns`` (CRN_XLSX_MAX_COLUMNS=1000) and
      ``xlsx_max_cells`` (CRN_XLSX_MAX_CELLS=20000000: last row x last column of the first sheet).
    - ``demo_batch_size`` (CRN_DEMO_BATCH_SIZE=10000): rows per UNWIND statement when loading the demo.
    - ``demo_writers`` (CRN_DEMO_WRITERS=2): demo batches written concurrently (1 = one after another).
    - ``import_batch_size`` (CRN_IMPORT_BATCH_SIZE=5000): rows per import write transaction.
    - ``admin_password`` (CRN_ADMIN_PASSWORD, unset): the password `crn users ensure-admin` gives
      admin@crn.local on first run (generated and printed once when unset). Never logged.
    - automation: ``automation_max_attempts`` (CRN_AUTOMATION_MAX_ATTEMPTS=5, then dead-lettered),
      ``automation_backoff_seconds`` (CRN_AUTOMATION_BACKOFF_SECONDS=30, doubled per attempt),
      ``automation_lease_seconds`` (CRN_AUTOMATION_LEASE_SECONDS=60, a claimed item's lease),
      ``automation_poll_seconds`` (CRN_AUTOMATION_POLL_SECONDS=2, worker idle sleep),
      ``automation_concurrency`` (CRN_AUTOMATION_CONCURRENCY=4, deliveries in parallel per worker),
      ``automation_scan_interval_seconds`` (CRN_AUTOMATION_SCAN_INTERVAL=300, how often a scan without
      cron runs), ``automation_rules_ttl`` (CRN_AUTOMATION_RULES_TTL=5 seconds, the listener's rule cache),
      ``webhook_timeout`` (CRN_WEBHOOK_TIMEOUT=10 seconds),
      ``webhook_allow_http`` (CRN_WEBHOOK_ALLOW_HTTP=0: webhooks must use https; 1 allows plain http),
      ``webhook_allow_networks`` (CRN_WEBHOOK_ALLOW_NETWORKS, unset: comma-separated CIDRs a webhook may reach
      although they are loopback, private, link-local, ...; a cloud metadata address only by its exact /32 or
      /128), ``webhook_allow_hosts`` (CRN_WEBHOOK_ALLOW_HOSTS, unset: comma-separated host names a webhook may
      reach whatever they resolve to), ``automation_max_depth`` (CRN_AUTOMATION_MAX_DEPTH=3: how many rules
      deep a chain of changes caused by rules may go before it stops with a ``stopped`` RuleRun),
      ``smtp_timeout`` (CRN_SMTP_TIMEOUT=10 seconds),
      ``sms_provider`` (CRN_SMS_PROVIDER=file) and ``sms_file`` (CRN_SMS_FILE=<home>/sms.log).
    - ``token_cache_seconds`` (CRN_TOKEN_CACHE_SECONDS=5): how long the web server remembers a verified
      bearer token (0 = check every request); a token revoked from another process (the CLI) stops
      working at most this late, one revoked through this process at once.
    - logins (crn.auth.http): ``login_max_body_bytes`` (CRN_LOGIN_MAX_BODY_BYTES=4096, a larger /auth/login
      body is refused with 413 before it is parsed), ``login_account_failures`` (CRN_LOGIN_ACCOUNT_FAILURES=5)
      and ``login_address_failures`` (CRN_LOGIN_ADDRESS_FAILURES=20): failed logins per account / per client
      address before each further attempt must wait ``login_backoff_seconds`` (CRN_LOGIN_BACKOFF_SECONDS=1),
      doubled per further failure up to ``login_backoff_max_seconds`` (CRN_LOGIN_BACKOFF_MAX_SECONDS=900),
      answered 429 with Retry-After; the counts live in the server process. ``login_concurrency``
      (CRN_LOGIN_CONCURRENCY=2): argon2 verifications running at once (others wait their turn).
    - sessions: ``session_idle_seconds`` (CRN_SESSION_IDLE_SECONDS=7200, a session unused this long ends)
      and ``session_max_seconds`` (CRN_SESSION_MAX_SECONDS=43200, a session ends this long after login).
    - audit (docs/audit.md): ``audit_retention_days`` (CRN_AUDIT_RETENTION_DAYS=0: keep the audit trail forever;
      N > 0: the worker purges entries older than N days, keeping the chain verifiable from a checkpoint).
    - privacy (docs/privacy.md): ``public_url`` (CRN_PUBLIC_URL, e.g. https://crn.example.com: the address
      unsubscribe links in marketing e-mails point at; default http://CRN_HOST:CRN_PORT),
      ``unsubscribe_mailto`` (CRN_UNSUBSCRIBE_MAILTO, optional address for the mailto: unsubscribe),
      ``unsubscribe_days`` (CRN_UNSUBSCRIBE_DAYS=365, how long an unsubscribe link stays valid);
      retention, 0 = keep forever: ``retention_interactions_days`` (CRN_RETENTION_INTERACTIONS_DAYS:
      interactions older than this are anonymised), ``retention_closed_tickets_days``
      (CRN_RETENTION_CLOSED_TICKETS_DAYS: closed/resolved tickets are anonymised), ``retention_sessions_days``
      (CRN_RETENTION_SESSIONS_DAYS: ended sessions are deleted), ``retention_outbox_days``
      (CRN_RETENTION_OUTBOX_DAYS: finished outbox items are deleted), ``retention_rule_runs_days``
      (CRN_RETENTION_RULE_RUNS_DAYS: rule runs are deleted); ``retention_batch_size``
      (CRN_RETENTION_BATCH_SIZE=1000 records per transaction) and ``retention_interval_seconds``
      (CRN_RETENTION_INTERVAL_SECONDS=3600, how often the worker applies retention).
    - operations (ops: outages and observability, see docs/operations.md): ``db_connect_timeout``
      (CRN_DB_CONNECT_TIMEOUT=3 seconds, opening one connection to Neo4j), ``db_acquire_timeout``
      (CRN_DB_ACQUIRE_TIMEOUT=5 seconds, waiting for a pooled connection, opening included) and
      ``db_retry_seconds`` (CRN_DB_RETRY_SECONDS=5, how long a transaction is retried on transient errors
      and lost connections): together they bound how long a request waits while Neo4j is down before it
      fails with ``database_unavailable`` (503, Retry-After ``db_retry_after``, CRN_DB_RETRY_AFTER=5).
      ``log_format`` (CRN_LOG_FORMAT=text; ``json`` writes one JSON object per line with the request id),
      ``metrics_token`` (CRN_METRICS_TOKEN, unset: /metrics answers loopback clients only; set: it answers
      any client sending ``Authorization: Bearer <token>``), ``worker_backoff_max_seconds``
      (CRN_WORKER_BACKOFF_MAX=30, the longest pause of the automation worker while Neo4j is down).
    """

    neo4j_uri: str | None = field(default_factory=lambda: _env("NEO4J_URI"))
    neo4j_user: str = field(default_factory=lambda: _env("NEO4J_USER", "neo4j"))
    neo4j_password: str | None = field(default_factory=lambda: _env("NEO4J_PASSWORD"))
    neo4j_database: str = field(default_factory=lambda: _env("NEO4J_DATABASE", "neo4j"))
    home: Path = field(default_factory=lambda: Path(_env("CRN_HOME", ".crn")).resolve())
    neo4j_home_override: str | None = field(default_factory=lambda: _env("CRN_NEO4J_HOME"))
    neo4j_version: str = field(default_factory=lambda: _env("CRN_NEO4J_VERSION", NEO4J_VERSION_DEFAULT))
    neo4j_dist_override: str | None = field(default_factory=lambda: _env("CRN_NEO4J_DIST"))
    bolt_port: int = field(default_factory=lambda: _env_int("CRN_BOLT_PORT", 7687))
    http_port: int = field(default_factory=lambda: _env_int("CRN_HTTP_PORT", 7474))
    heap: str = field(default_factory=lambda: _env("CRN_NEO4J_HEAP", "2g"))
    pagecache: str = field(default_factory=lambda: _env("CRN_NEO4J_PAGECACHE", "2g"))
    start_timeout: float = field(default_factory=lambda: _env_float("CRN_NEO4J_START_TIMEOUT", 120.0))
    host: str = field(default_factory=lambda: _env("CRN_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: _env_int("CRN_PORT", 8000))
    tls_cert: str | None = field(default_factory=lambda: _env("CRN_TLS_CERT"))
    tls_key: str | None = field(default_factory=lambda: _env("CRN_TLS_KEY"))
    forwarded_allow_ips: str | None = field(default_factory=lambda: _env("CRN_FORWARDED_ALLOW_IPS"))
    hsts_seconds: int = field(default_factory=lambda: _env_int("CRN_HSTS_SECONDS", 31_536_000))
    dev_mode: bool = field(default_factory=lambda: _env("CRN_DEV", "0") in ("1", "true", "yes"))
    max_page_size: int = field(default_factory=lambda: _env_int("CRN_MAX_PAGE_SIZE", 100))
    max_query_depth: int = field(default_factory=lambda: _env_int("CRN_MAX_QUERY_DEPTH", 12))
    max_aliases: int = field(default_factory=lambda: _env_int("CRN_MAX_ALIASES", 30))
    max_tokens: int = field(default_factory=lambda: _env_int("CRN_MAX_TOKENS", 2000))
    max_body_bytes: int = field(default_factory=lambda: _env_int("CRN_MAX_BODY_KB", 256, minimum=1) * 1024)
    max_query_cost: int = field(default_factory=lambda: _env_int("CRN_MAX_QUERY_COST", 25_000))
    max_fields: int = field(default_factory=lambda: _env_int("CRN_MAX_FIELDS", 2000))
    query_timeout: float = field(default_factory=lambda: _env_float("CRN_QUERY_TIMEOUT", 30.0))
    bulk_timeout: float = field(default_factory=lambda: _env_float("CRN_BULK_TIMEOUT", BULK_TIMEOUT_DEFAULT))
    neo4j_transaction_memory: str = field(default_factory=lambda: _env("CRN_NEO4J_TX_MEMORY", "1g"))
    db_workers: int = field(default_factory=lambda: _env_int("CRN_DB_WORKERS", 16))
    db_user_concurrency: int = field(default_factory=lambda: _env_int("CRN_DB_USER_CONCURRENCY", 4))
    db_user_queue: int = field(default_factory=lambda: _env_int("CRN_DB_USER_QUEUE", 64))
    strength_half_life_days: float = field(
        default_factory=lambda: _env_float("CRN_STRENGTH_HALF_LIFE_DAYS", STRENGTH_HALF_LIFE_DAYS_DEFAULT)
    )
    sla_due_soon_hours: float = field(default_factory=lambda: _env_float("CRN_SLA_DUE_SOON_HOURS", 4.0))
    decay_alert_days: int = field(default_factory=lambda: _env_int("CRN_DECAY_ALERT_DAYS", 45))
    smtp_host: str = field(default_factory=lambda: _env("CRN_SMTP_HOST", "127.0.0.1"))
    smtp_port: int = field(default_factory=lambda: _env_int("CRN_SMTP_PORT", 25))
    smtp_sender: str = field(default_factory=lambda: _env("CRN_SMTP_SENDER", "crn@localhost"))
    webhook_secret: str | None = field(default_factory=lambda: _env("CRN_WEBHOOK_SECRET"))
    upload_limit_bytes: int = field(
        default_factory=lambda: _env_int("CRN_UPLOAD_LIMIT_MB", 50) * 1024 * 1024
    )
    xlsx_max_uncompressed_bytes: int = field(
        default_factory=lambda: _env_int("CRN_XLSX_MAX_UNCOMPRESSED_MB", 500) * 1024 * 1024)
    xlsx_max_compression_ratio: float = field(
        default_factory=lambda: _env_float("CRN_XLSX_MAX_COMPRESSION_RATIO", 100.0))
    xlsx_max_rows: int = field(default_factory=lambda: _env_int("CRN_XLSX_MAX_ROWS", 1_000_000))
    xlsx_max_columns: int = field(default_factory=lambda: _env_int("CRN_XLSX_MAX_COLUMNS", 1000))
    xlsx_max_cells: int = field(default_factory=lambda: _env_int("CRN_XLSX_MAX_CELLS", 20_000_000))
    demo_batch_size: int = field(default_factory=lambda: _env_int("CRN_DEMO_BATCH_SIZE", 10_000))
    demo_writers: int = field(default_factory=lambda: _env_int("CRN_DEMO_WRITERS", 2))
    import_batch_size: int = field(default_factory=lambda: _env_int("CRN_IMPORT_BATCH_SIZE", 5000))

    admin_password: str | None = field(default_factory=lambda: _env("CRN_ADMIN_PASSWORD"), repr=False)
    automation_max_attempts: int = field(default_factory=lambda: _env_int("CRN_AUTOMATION_MAX_ATTEMPTS", 5))
    automation_backoff_seconds: float = field(
        default_factory=lambda: _env_float("CRN_AUTOMATION_BACKOFF_SECONDS", 30.0))
    automation_lease_seconds: float = field(default_factory=lambda: _env_float("CRN_AUTOMATION_LEASE_SECONDS", 60.0))
    automation_concurrency: int = field(default_factory=lambda: _env_int("CRN_AUTOMATION_CONCURRENCY", 4))
    automation_poll_seconds: float = field(default_factory=lambda: _env_float("CRN_AUTOMATION_POLL_SECONDS", 2.0))
    automation_scan_interval_seconds: float = field(
        default_factory=lambda: _env_float("CRN_AUTOMATION_SCAN_INTERVAL", 300.0))
    automation_rules_ttl: float = field(default_factory=lambda: _env_float("CRN_AUTOMATION_RULES_TTL", 5.0))
    webhook_timeout: float = field(default_factory=lambda: _env_float("CRN_WEBHOOK_TIMEOUT", 10.0))
    webhook_allow_http: bool = field(default_factory=lambda: _env_bool("CRN_WEBHOOK_ALLOW_HTTP", False))
    webhook_allow_networks: tuple[IPNetwork, ...] = field(
        default_factory=lambda: _env_networks("CRN_WEBHOOK_ALLOW_NETWORKS"))
    webhook_allow_hosts: tuple[str, ...] = field(
        default_factory=lambda: tuple(h.strip().lower().rstrip(".")
                                      for h in (_env("CRN_WEBHOOK_ALLOW_HOSTS") or "").split(",") if h.strip()))
    automation_max_depth: int = field(default_factory=lambda: _env_int("CRN_AUTOMATION_MAX_DEPTH", 3, minimum=1))
    smtp_timeout: float = field(default_factory=lambda: _env_float("CRN_SMTP_TIMEOUT", 10.0))
    sms_provider: str = field(default_factory=lambda: _env("CRN_SMS_PROVIDER", "file"))
    sms_file_override: str | None = field(default_factory=lambda: _env("CRN_SMS_FILE"))
    token_cache_seconds: float = field(default_factory=lambda: _env_float("CRN_TOKEN_CACHE_SECONDS", 5.0))
    login_max_body_bytes: int = field(default_factory=lambda: _env_int("CRN_LOGIN_MAX_BODY_BYTES", 4096))
    login_account_failures: int = field(default_factory=lambda: _env_int("CRN_LOGIN_ACCOUNT_FAILURES", 5))
    login_address_failures: int = field(default_factory=lambda: _env_int("CRN_LOGIN_ADDRESS_FAILURES", 20))
    login_backoff_seconds: float = field(default_factory=lambda: _env_float("CRN_LOGIN_BACKOFF_SECONDS", 1.0))
    login_backoff_max_seconds: float = field(
        default_factory=lambda: _env_float("CRN_LOGIN_BACKOFF_MAX_SECONDS", 900.0))
    login_concurrency: int = field(default_factory=lambda: _env_int("CRN_LOGIN_CONCURRENCY", 2))
    session_idle_seconds: float = field(default_factory=lambda: _env_float("CRN_SESSION_IDLE_SECONDS", 7200.0))
    session_max_seconds: float = field(default_factory=lambda: _env_float("CRN_SESSION_MAX_SECONDS", 43200.0))
    # --- audit ---
    audit_retention_days: int = field(default_factory=lambda: _env_int("CRN_AUDIT_RETENTION_DAYS", 0, minimum=0))
    # --- privacy (issue 13 §3: consent, unsubscribe, retention) ---
    public_url: str | None = field(default_factory=lambda: _env("CRN_PUBLIC_URL"))
    unsubscribe_mailto: str | None = field(default_factory=lambda: _env("CRN_UNSUBSCRIBE_MAILTO"))
    unsubscribe_days: int = field(default_factory=lambda: _env_int("CRN_UNSUBSCRIBE_DAYS", 365, minimum=1))
    retention_interactions_days: int = field(
        default_factory=lambda: _env_int("CRN_RETENTION_INTERACTIONS_DAYS", 0, minimum=0))
    retention_closed_tickets_days: int = field(
        default_factory=lambda: _env_int("CRN_RETENTION_CLOSED_TICKETS_DAYS", 0, minimum=0))
    retention_sessions_days: int = field(
        default_factory=lambda: _env_int("CRN_RETENTION_SESSIONS_DAYS", 0, minimum=0))
    retention_outbox_days: int = field(default_factory=lambda: _env_int("CRN_RETENTION_OUTBOX_DAYS", 0, minimum=0))
    retention_rule_runs_days: int = field(
        default_factory=lambda: _env_int("CRN_RETENTION_RULE_RUNS_DAYS", 0, minimum=0))
    retention_batch_size: int = field(default_factory=lambda: _env_int("CRN_RETENTION_BATCH_SIZE", 1000, minimum=1))
    retention_interval_seconds: float = field(
        default_factory=lambda: _env_float("CRN_RETENTION_INTERVAL_SECONDS", 3600.0))
    # ops: outages and observability (docs/operations.md)
    db_connect_timeout: float = field(default_factory=lambda: _env_float("CRN_DB_CONNECT_TIMEOUT", 3.0))
    db_acquire_timeout: float = field(default_factory=lambda: _env_float("CRN_DB_ACQUIRE_TIMEOUT", 5.0))
    db_retry_seconds: float = field(default_factory=lambda: _env_float("CRN_DB_RETRY_SECONDS", 5.0))
    db_retry_after: int = field(default_factory=lambda: _env_int("CRN_DB_RETRY_AFTER", 5, minimum=1))
    log_format: str = field(default_factory=lambda: _env("CRN_LOG_FORMAT", "text"))
    metrics_token: str | None = field(default_factory=lambda: _env("CRN_METRICS_TOKEN"), repr=False)
    worker_backoff_max_seconds: float = field(default_factory=lambda: _env_float("CRN_WORKER_BACKOFF_MAX", 30.0))

    @property
    def sms_file(self) -> Path:
        """Where the file SMS provider appends messages (one JSON object per line)."""
        return Path(self.sms_file_override).resolve() if self.sms_file_override else self.home / "sms.log"

    @property
    def neo4j_home(self) -> Path:
        """The managed Neo4j server's data folder."""
        if self.neo4j_home_override:
            return Path(self.neo4j_home_override).resolve()
        return self.home / "neo4j"

    @property
    def neo4j_dist(self) -> Path:
        """Where the Neo4j server jars are kept (shared between data folders)."""
        if self.neo4j_dist_override:
            return Path(self.neo4j_dist_override).resolve()
        return Path.home() / ".cache" / "crn" / f"neo4j-{self.neo4j_version}"

    @property
    def managed(self) -> bool:
        """True when crn runs its own local Neo4j (no NEO4J_URI given)."""
        return self.neo4j_uri is None


def get_settings() -> Settings:
    """Read the settings from the current environment.

    Only a process's entry points call this, once: ``create_app`` (when not given settings), the ``crn``
    command, a benchmark. Everything below them receives the ``Settings`` they built: as an argument, through
    the GraphQL context (``info.context.settings``) or the app (``request.app.state.settings``). Nothing on a
    request's path reads the environment (tests/test_config.py counts it).
    """
    return Settings()
