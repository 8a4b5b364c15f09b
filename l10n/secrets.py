"""The DeepL key: read from the environment, never written anywhere.

`redact` is applied to every message the CLI and the TUI show, every log line and every
error, so that even an exception that quotes a request cannot reveal the key. It finds
the key in any letter case, percent-encoded (wholly or partly, `%3A` or `%3a`) and inside
base64 (standard or URL-safe alphabet, at any byte offset, so a server that echoes
`base64("user:" + key)` is caught too).

A key shorter than `MIN_REDACT` characters is not searched for: no DeepL key is that
short (they are 36 characters and more), the server refuses it anyway, and replacing
every `a` of every message by `[DEEPL_AUTH_KEY]` would only make the messages unreadable.
The `DeepL-Auth-Key <anything>` header form is redacted whatever the key.

`visible` makes outside text inert for a terminal: control characters become `\\x1b`
style escapes. `server_message` is what we show of a server's words: its `message`
field only, made visible and cut to a sane length at a word boundary.
"""
from __future__ import annotations

import base64
import re
from functools import lru_cache

KEY_VAR = "DEEPL_AUTH_KEY"
MIN_REDACT = 8  # shorter keys are not searched for (see the module's doc)
MASK = "[DEEPL_AUTH_KEY]"
SERVER_MESSAGE_MAX = 200


def auth_key() -> str | None:
    import os

    key = os.environ.get(KEY_VAR, "").strip()
    return key or None


def key_fingerprint(key: str) -> str:
    """A short, salted digest of the key: tells two keys apart, cannot give the key back
    (16 hex digits of SHA-256 over a constant salt and the key)."""
    import hashlib

    return hashlib.sha256(b"l10n deepl key fingerprint v1\x00" + key.encode("utf-8")).hexdigest()[:16]


def _char_pattern(c: str) -> str:
    """`c` itself (any case) or its UTF-8 bytes percent-encoded."""
    enc = "".join(f"%{b:02x}" for b in c.encode("utf-8"))
    alts = {re.escape(c), enc}
    if c == " ":
        alts.add(r"\+")
    return "(?:" + "|".join(sorted(alts)) + ")"


def _base64_forms(key: bytes) -> set[str]:
    """The parts of base64 text that only the key's bits decide, for the key starting at
    each byte offset modulo 3, in both alphabets."""
    out = set()
    n = len(key)
    for i in range(3):
        enc = base64.b64encode(b"\x00" * i + key).decode("ascii")
        start = -(-8 * i // 6)  # ceil: the first character made of key bits only
        end = (8 * (i + n)) // 6  # the characters before it are wholly key bits
        part = enc[start:end]
        if len(part) >= MIN_REDACT:
            out.add(part)
            out.add(part.translate(str.maketrans("+/", "-_")))
    return out


@lru_cache(maxsize=4)
def _patterns(key: str) -> tuple[re.Pattern, re.Pattern | None]:
    plain = re.compile("".join(_char_pattern(c) for c in key), re.IGNORECASE)
    forms = _base64_forms(key.encode("utf-8"))
    b64 = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))) if forms else None
    return plain, b64


def redact(text: str, key: str | None = None) -> str:
    """`text` with the key (from the environment unless given) masked in every form we
    know of; see the module's doc for the forms and the minimum length."""
    key = key if key is not None else auth_key()
    if key and len(key) >= MIN_REDACT:
        plain, b64 = _patterns(key)
        text = plain.sub(MASK, text)
        if b64 is not None:
            text = b64.sub(MASK, text)
    # a DeepL-Auth-Key header, whatever key it carries
    return re.sub(r"(DeepL-Auth-Key\s+)\S+", r"\1[redacted]", text, flags=re.IGNORECASE)


def visible(text: str) -> str:
    """Control and format characters (escape sequences, NUL, bidi controls) shown as
    escapes; a newline or tab stays (they are layout, not commands)."""
    from .display import inert

    return inert(text, keep="\n\t")


def shorten(text: str, limit: int = SERVER_MESSAGE_MAX) -> str:
    """`text` cut to about `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def server_message(raw) -> str:
    """What we show of a server's `message` field: redacted, control characters made
    visible, one line, cut at a word boundary. Anything that is not text shows nothing."""
    if not isinstance(raw, str):
        return ""
    return shorten(visible(redact(raw)).replace("\n", " ").replace("\t", " "))


__all__ = ["KEY_VAR", "MIN_REDACT", "auth_key", "key_fingerprint", "redact", "visible",
           "shorten", "server_message"]
