"""The DeepL key: read from the environment, never written anywhere.

`redact` is applied to every message the CLI and the TUI show, every log line and every
error, so that even an exception that quotes a request cannot reveal the key.
"""
from __future__ import annotations

import os
import re

KEY_VAR = "DEEPL_AUTH_KEY"


def auth_key() -> str | None:
    key = os.environ.get(KEY_VAR, "").strip()
    return key or None


def redact(text: str) -> str:
    key = auth_key()
    if key and key in text:
        text = text.replace(key, "[DEEPL_AUTH_KEY]")
    # a DeepL-Auth-Key header, whatever key it carries
    return re.sub(r"(DeepL-Auth-Key\s+)\S+", r"\1[redacted]", text)
