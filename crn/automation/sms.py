"""SMS delivery: a provider interface and the file provider used in development and tests."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from crn.config import Settings


class SmsProvider(Protocol):
    """Sends one text message; ``key`` is the idempotency key (providers that support one should pass it)."""

    def send(self, to: str, text: str, key: str) -> str:
        """Send and return the provider's message id."""


class FileSmsProvider:
    """Appends each message as one JSON line to ``path`` (CRN_SMS_FILE); repeats of a key are skipped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._keys: set[str] | None = None  # keys already written, read from the file once

    def sent(self) -> list[dict[str, str]]:
        """Every message written so far."""
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def send(self, to: str, text: str, key: str) -> str:
        """Write the message unless one with the same key was written already."""
        with self._lock:
            if self._keys is None:
                self._keys = {m["key"] for m in self.sent()}
            if key in self._keys:
                return key
            self._keys.add(key)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"to": to, "text": text, "key": key,
                                     "at": datetime.now(timezone.utc).isoformat()}) + "\n")
        return key


def provider(settings: Settings) -> SmsProvider:
    """The configured provider (CRN_SMS_PROVIDER; only ``file`` ships with crn)."""
    if settings.sms_provider == "file":
        return FileSmsProvider(settings.sms_file)
    raise SystemExit(f"CRN_SMS_PROVIDER={settings.sms_provider!r} is not a known SMS provider; use 'file'")
