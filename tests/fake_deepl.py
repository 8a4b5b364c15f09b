"""In-process fake of the DeepL HTTP API, for tests.  Standard library only.

The official ``deepl`` Python client (1.32) talks to the server like this (read
from ``deepl/translator.py``, ``deepl/deepl_client.py``, ``deepl/http_client.py``):

* every call sends ``Authorization: DeepL-Auth-Key <key>`` and a User-Agent;
* ``translate_text``           -> ``POST /v2/translate``   JSON body
  ``{"text": [...], "target_lang": "EN-US", "source_lang": "JA",
  "show_billed_characters": true, "context", "formality", "glossary_id",
  "tag_handling", "ignore_tags": [...], "model_type", "preserve_formatting"...}``;
  the client reads ``translations[i].text / detected_source_language /
  billed_characters (int() of it, so it must be present) / model_type_used``;
* ``get_usage``                -> ``GET /v2/usage`` (``character_count``,
  ``character_limit``);
* ``get_source_languages`` / ``get_target_languages`` -> ``GET /v2/languages``
  (the target variant sends ``type=target`` as a *form body on a GET*);
* ``get_glossary_languages``   -> ``GET /v2/glossary-language-pairs``;
* multilingual (v3) glossaries, all JSON bodies, languages lower-case in
  responses:
  ``POST /v3/glossaries`` {name, dictionaries: [{source_lang, target_lang,
  entries (TSV), entries_format}]};
  ``GET /v3/glossaries``; ``GET /v3/glossaries/{id}``;
  ``PATCH /v3/glossaries/{id}`` {name?, dictionaries?} (merge entries);
  ``PUT /v3/glossaries/{id}/dictionaries`` {source_lang, target_lang, entries,
  entries_format} (replace one dictionary, answers the dictionary info);
  ``GET /v3/glossaries/{id}/entries?source_lang=&target_lang=`` (entries as TSV);
  ``DELETE /v3/glossaries/{id}`` and
  ``DELETE /v3/glossaries/{id}/dictionaries?source_lang=&target_lang=``.
* Retries (``deepl.http_client``): a request is retried on 429, any status
  >= 500 and on connection errors, up to ``http_client.max_network_retries``
  (default 5) times, sleeping per ``_BackoffTimer`` (starts at 1 s, x1.6).
  ``fast_retries()`` / the ``deepl_fast_retries`` fixture shrink both.

Fake behaviour
--------------
* translation of ``text`` into ``target_lang`` is ``f"[{TARGET}] {text}"``
  (TARGET = requested target_lang upper-cased, e.g. ``[EN-US] 猫``), the empty
  string translates to the empty string.  Markup is untouched, so with
  ``tag_handling="xml"`` all tags survive verbatim.  Override with
  ``server.translate_fn = lambda text, params: ...``.
* billing: a successful translate request bills ``sum(len(t) for t in text)``,
  i.e. Unicode code points of the texts as submitted (what DeepL documents:
  "あ" and "深" count 1 each).  ``context`` is not billed.  Billing is kept per
  requested target language in ``server.billed`` (``{"EN-US": 12, ...}``) and
  in total in ``server.character_count`` (reported by /v2/usage).  A request
  that would take the total above ``character_limit`` answers 456 and bills
  nothing.  Failed/injected requests bill nothing.
* limits: > ``max_texts`` (50) texts -> 400; no texts -> 400; request body >
  ``max_request_bytes`` (128 KiB, checked before auth) -> 413.
* auth: ``Authorization: DeepL-Auth-Key <server.auth_key>`` required, anything
  else -> 403 ``{"message": ...}``.
* every request is recorded (see ``FakeDeepL.requests``); the Authorization
  header is *not* stored among ``headers``: the key the client presented is in
  ``record["auth_key"]``, so ``server.key_leaks()`` can check the key appears
  nowhere else (path, query, other headers, body).
* failure injection happens before auth and routing: ``fail_next``,
  ``drop_next``, ``fail_after``, ``delay_next``, ``reply_next`` (a raw,
  possibly malformed, answer); ``reset_failures()``.
* accounts: ``add_account(key)`` makes another key valid, as a separate
  account with its own glossaries, usage and limit (a rotated key, a new
  account once the quota ran out); ``revoke(key)`` makes a key invalid (403).
  ``billed`` counts every account's billing; ``account(key)`` one account's.
* ``delete_glossaries()`` forgets every glossary, as if deleted on DeepL's
  side (web UI, another tool, account reset).
* ``closed_url()`` is a URL on 127.0.0.1 where nothing listens (connection
  refused).
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.parse
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

__all__ = [
    "FakeDeepL",
    "deepl_server",
    "deepl_fast_retries",
    "deepl_client",
    "fast_retries",
    "DEFAULT_AUTH_KEY",
    "closed_url",
]

DEFAULT_AUTH_KEY = "test-key:fx"

# Keys whose value is always a list in recorded params (form bodies may send
# them repeated or once).
_LIST_KEYS = {
    "text",
    "glossary_ids",
    "ignore_tags",
    "splitting_tags",
    "non_splitting_tags",
    "custom_instructions",
}

# name, supports_formality
TARGET_LANGUAGES: Dict[str, Tuple[str, bool]] = {
    "AR": ("Arabic", False),
    "BG": ("Bulgarian", False),
    "CS": ("Czech", False),
    "DA": ("Danish", False),
    "DE": ("German", True),
    "EL": ("Greek", False),
    "EN": ("English", False),  # deprecated by the client, still accepted
    "EN-GB": ("English (British)", False),
    "EN-US": ("English (American)", False),
    "ES": ("Spanish", True),
    "ES-419": ("Spanish (Latin American)", True),
    "ET": ("Estonian", False),
    "FI": ("Finnish", False),
    "FR": ("French", True),
    "HE": ("Hebrew", False),
    "HU": ("Hungarian", False),
    "ID": ("Indonesian", False),
    "IT": ("Italian", True),
    "JA": ("Japanese", True),
    "KO": ("Korean", False),
    "LT": ("Lithuanian", False),
    "LV": ("Latvian", False),
    "NB": ("Norwegian Bokmål", False),
    "NL": ("Dutch", True),
    "PL": ("Polish", True),
    "PT": ("Portuguese", True),  # deprecated by the client, still accepted
    "PT-BR": ("Portuguese (Brazilian)", True),
    "PT-PT": ("Portuguese (European)", True),
    "RO": ("Romanian", False),
    "RU": ("Russian", True),
    "SK": ("Slovak", False),
    "SL": ("Slovenian", False),
    "SV": ("Swedish", False),
    "TH": ("Thai", False),
    "TR": ("Turkish", False),
    "UK": ("Ukrainian", False),
    "VI": ("Vietnamese", False),
    "ZH": ("Chinese (simplified)", False),
    "ZH-HANS": ("Chinese (simplified)", False),
    "ZH-HANT": ("Chinese (traditional)", False),
}
SOURCE_LANGUAGES: Dict[str, str] = {
    code: name.split(" (")[0]
    for code, (name, _) in TARGET_LANGUAGES.items()
    if "-" not in code
}
GLOSSARY_LANGUAGES = sorted(
    code.lower() for code in SOURCE_LANGUAGES if code != "TH"
)
FORMALITY_VALUES = {"default", "more", "less", "prefer_more", "prefer_less"}

_DEFAULT_MESSAGES = {
    400: "Bad request",
    403: "Authorization failure",
    404: "Not found",
    405: "Method not allowed",
    413: "Request Entity Too Large",
    429: "Too many requests",
    456: "Quota Exceeded",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def _base_lang(code: str) -> str:
    return code.split("-", 1)[0].lower()


def _now_iso() -> str:
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


class _HTTPError(Exception):
    def __init__(self, status: int, message: Optional[str] = None):
        super().__init__(message)
        self.status = status
        self.message = message or _DEFAULT_MESSAGES.get(status, "Error")


def _parse_entries(entries: Any, entries_format: str) -> Dict[str, str]:
    if not isinstance(entries, str):
        raise _HTTPError(400, "'entries' must be a string")
    fmt = (entries_format or "tsv").lower()
    result: Dict[str, str] = {}
    if fmt == "tsv":
        rows = [line.split("\t") for line in entries.splitlines() if line.strip()]
    elif fmt == "csv":
        rows = [row for row in csv.reader(io.StringIO(entries)) if row]
    else:
        raise _HTTPError(400, f"Unsupported entries_format '{entries_format}'")
    for index, row in enumerate(rows, 1):
        if len(row) < 2 or (fmt == "tsv" and len(row) != 2):
            raise _HTTPError(400, f"Invalid glossary entry in line {index}")
        source, target = row[0].strip(), row[1].strip()
        if not source or not target:
            raise _HTTPError(400, f"Empty glossary term in line {index}")
        if source in result:
            raise _HTTPError(400, f"Duplicate source term '{source}'")
        result[source] = target
    if not result:
        raise _HTTPError(400, "Glossary dictionary has no entries")
    return result


def _entries_to_tsv(entries: Dict[str, str]) -> str:
    return "\n".join(f"{s}\t{t}" for s, t in entries.items())


class _Account:
    """One DeepL account: its glossaries, usage and limit."""

    def __init__(self, character_limit: Optional[int], character_count: int = 0):
        self.limit = character_limit
        self.count = character_count
        self.glossaries: Dict[str, dict] = {}
        self.billed: Dict[str, int] = {}


def closed_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: every connection is refused."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class _Rule:
    """One failure-injection rule (see FakeDeepL.fail_next & co)."""

    def __init__(self, kind: str, *, status: int = 0, count: Optional[int] = None,
                 path_prefix: Optional[str] = None, n_ok: int = 0,
                 message: Optional[str] = None, seconds: float = 0.0,
                 headers: Optional[Dict[str, str]] = None,
                 body: Optional[bytes] = None, content_type: str = "application/json"):
        self.kind = kind  # "fail" | "drop" | "fail_after" | "delay" | "raw"
        self.body = body
        self.content_type = content_type
        self.status = status
        self.remaining = count  # None = unlimited
        self.path_prefix = path_prefix
        self.n_ok = n_ok
        self.message = message
        self.seconds = seconds
        self.headers = headers or {}

    def matches(self, path: str) -> bool:
        return self.path_prefix is None or path.startswith(self.path_prefix)


class FakeDeepL:
    """A DeepL-compatible HTTP server on 127.0.0.1:<free port>.

    Usable as a context manager or via ``start()`` / ``stop()``; the
    ``deepl_server`` fixture does this for you.
    """

    def __init__(
        self,
        auth_key: str = DEFAULT_AUTH_KEY,
        *,
        character_limit: int = 500_000,
        character_count: int = 0,
        max_texts: int = 50,
        max_request_bytes: int = 128 * 1024,
        detected_source_language: str = "JA",
        translate_fn: Optional[Callable[[str, dict], str]] = None,
        strict_formality: bool = True,
    ):
        self.auth_key = auth_key
        self._initial_limit = character_limit
        self.max_texts = max_texts
        self.max_request_bytes = max_request_bytes
        self.detected_source_language = detected_source_language
        self.translate_fn = translate_fn
        self.strict_formality = strict_formality
        self._initial_count = character_count
        self._lock = threading.RLock()
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None
        self._reset_state()

    # ------------------------------------------------------------------ life
    def _reset_state(self) -> None:
        with self._lock:
            self._requests: List[dict] = []
            self._billed: Dict[str, int] = {}
            self._primary = _Account(self._initial_limit, self._initial_count)
            self._accounts: Dict[str, _Account] = {}
            self._revoked: set = set()
            self._rules: List[_Rule] = []

    def start(self) -> "FakeDeepL":
        if self._httpd is not None:
            return self
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        httpd = _QuietServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.01},
            name=f"FakeDeepL:{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> "FakeDeepL":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """Base URL to pass as ``server_url`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    def client(self, auth_key: Optional[str] = None):
        """A real ``deepl.DeepLClient`` pointed at this server."""
        import deepl

        client = deepl.DeepLClient(auth_key or self.auth_key, server_url=self.url)
        session = getattr(getattr(client, "_client", None), "_session", None)
        if session is not None:  # ignore HTTP(S)_PROXY env vars for 127.0.0.1
            session.trust_env = False
        return client

    # ------------------------------------------------------------ inspection
    @property
    def requests(self) -> List[dict]:
        """All requests received so far (copy of the list, in arrival order).

        Each record is a dict with keys: ``id``, ``method``, ``path`` (no query),
        ``query`` (dict), ``headers`` (lower-case names, *without*
        Authorization), ``auth_scheme`` ("DeepL-Auth-Key" or None),
        ``auth_key`` (key presented, or None), ``content_type``, ``raw_body``
        (str), ``params`` (parsed JSON/form body merged over the query string;
        list-valued keys like ``text`` are always lists), ``status`` (int, or
        None when dropped), ``outcome`` ("ok", "error", "injected", "dropped"),
        ``response`` (parsed JSON answered, or None), ``time`` (monotonic).
        Translate records additionally have ``texts``, ``target_lang``,
        ``source_lang``, ``glossary_id`` and ``billed`` (chars billed, 0 if
        not successful).
        """
        with self._lock:
            return list(self._requests)

    def translate_requests(self, *, ok_only: bool = False) -> List[dict]:
        """Records of ``/v2/translate`` requests (all attempts, including
        injected failures and retries, unless ``ok_only``)."""
        return [
            r for r in self.requests
            if r["path"] == "/v2/translate" and (not ok_only or r["status"] == 200)
        ]

    def translated_texts(self, target_lang: Optional[str] = None) -> List[str]:
        """Source texts of successful translate requests, flattened, in order."""
        out: List[str] = []
        for r in self.translate_requests(ok_only=True):
            if target_lang is None or r["target_lang"] == target_lang.upper():
                out.extend(r["texts"])
        return out

    def glossaries_used(self) -> List[Optional[str]]:
        """glossary_id of every successful translate request (None if none)."""
        return [r["glossary_id"] for r in self.translate_requests(ok_only=True)]

    @property
    def billed(self) -> Dict[str, int]:
        """Characters billed per requested target language (copy)."""
        with self._lock:
            return dict(self._billed)

    @property
    def character_count(self) -> int:
        """Characters used on the primary account (``auth_key``)."""
        with self._lock:
            return self._primary.count

    @character_count.setter
    def character_count(self, value: int) -> None:
        with self._lock:
            self._primary.count = value

    @property
    def character_limit(self) -> Optional[int]:
        """The primary account's limit (None = unlimited)."""
        return self._primary.limit

    @character_limit.setter
    def character_limit(self, value: Optional[int]) -> None:
        self._primary.limit = value

    @property
    def _glossaries(self) -> Dict[str, dict]:
        return self._primary.glossaries

    # ------------------------------------------------------------- accounts
    def add_account(self, key: str, *, character_limit: Optional[int] = 500_000,
                    character_count: int = 0) -> None:
        """Make ``key`` valid as another account (own glossaries, usage, limit)."""
        with self._lock:
            self._accounts[key] = _Account(character_limit, character_count)
            self._revoked.discard(key)

    def revoke(self, key: str) -> None:
        """From now on ``key`` gets 403 (the primary key included)."""
        with self._lock:
            self._revoked.add(key)

    def account(self, key: Optional[str] = None) -> _Account:
        """The account of ``key`` (default: the primary one)."""
        if key is None or key == self.auth_key:
            return self._primary
        return self._accounts[key]

    def delete_glossaries(self) -> None:
        """Forget every glossary of every account (deleted on DeepL's side)."""
        with self._lock:
            for acct in [self._primary, *self._accounts.values()]:
                acct.glossaries.clear()

    @property
    def glossaries(self) -> Dict[str, dict]:
        """glossary_id -> {"name", "creation_time", "dictionaries":
        {(src, tgt): {source: target}}} (deep-ish copy)."""
        with self._lock:
            return {
                gid: {
                    "name": g["name"],
                    "creation_time": g["creation_time"],
                    "dictionaries": {k: dict(v) for k, v in g["dictionaries"].items()},
                }
                for acct in [self._primary, *self._accounts.values()]
                for gid, g in acct.glossaries.items()
            }

    def key_leaks(self, secret: Optional[str] = None) -> List[Tuple[int, str]]:
        """Where ``secret`` (default: ``self.auth_key``) appears in any request
        other than in its Authorization header: list of (request id, place),
        place being "path", "query", "header:<name>" or "body".  Empty = clean.
        """
        secret = secret if secret is not None else self.auth_key
        leaks: List[Tuple[int, str]] = []
        for r in self.requests:
            if secret in r["path"]:
                leaks.append((r["id"], "path"))
            if secret in json.dumps(r["query"], ensure_ascii=False) or secret in r.get(
                "raw_query", ""
            ):
                leaks.append((r["id"], "query"))
            for name, value in r["headers"].items():
                if secret in value:
                    leaks.append((r["id"], f"header:{name}"))
            if secret in r["raw_body"] or secret in json.dumps(
                r["params"], ensure_ascii=False
            ):
                leaks.append((r["id"], "body"))
        return leaks

    # ------------------------------------------------------ failure injection
    def fail_next(self, status: int, count: int = 1,
                  path_prefix: Optional[str] = "/v2/translate",
                  message: Optional[str] = None,
                  headers: Optional[Dict[str, str]] = None) -> None:
        """Answer the next ``count`` requests whose path starts with
        ``path_prefix`` (None = any path) with ``status`` and
        ``{"message": message}``.  Applied before auth; rules queue FIFO."""
        with self._lock:
            self._rules.append(_Rule("fail", status=status, count=count,
                                     path_prefix=path_prefix, message=message,
                                     headers=headers))

    def drop_next(self, count: int = 1,
                  path_prefix: Optional[str] = "/v2/translate") -> None:
        """Read the next ``count`` matching requests, then close the
        connection without sending any response."""
        with self._lock:
            self._rules.append(_Rule("drop", count=count, path_prefix=path_prefix))

    def fail_after(self, n_ok: int, status: int,
                   path_prefix: Optional[str] = "/v2/translate",
                   message: Optional[str] = None) -> None:
        """Let the next ``n_ok`` matching requests through, then answer every
        later matching request with ``status`` until ``reset_failures()``.
        ``status=0`` drops those connections instead (the network is down)."""
        with self._lock:
            self._rules.append(_Rule("fail_after", status=status, n_ok=n_ok,
                                     path_prefix=path_prefix, message=message))

    def delay_next(self, seconds: float, count: int = 1,
                   path_prefix: Optional[str] = "/v2/translate") -> None:
        """Sleep ``seconds`` before handling the next ``count`` matching
        requests (handled normally afterwards)."""
        with self._lock:
            self._rules.append(_Rule("delay", count=count, seconds=seconds,
                                     path_prefix=path_prefix))

    def reply_next(self, body, status: int = 200, count: int = 1,
                   path_prefix: Optional[str] = "/v2/translate",
                   content_type: str = "application/json") -> None:
        """Answer the next ``count`` matching requests with ``body`` as it is
        (bytes, str, or any object sent as JSON) and ``status``: a server
        answering garbage. Nothing is billed for these."""
        if isinstance(body, str):
            raw = body.encode("utf-8", "surrogatepass")
        elif isinstance(body, bytes):
            raw = body
        else:
            raw = json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
        with self._lock:
            self._rules.append(_Rule("raw", status=status, count=count, path_prefix=path_prefix,
                                     body=raw, content_type=content_type))

    def reset_failures(self) -> None:
        """Remove all pending fail/drop/fail_after/delay rules."""
        with self._lock:
            self._rules = []

    def reset(self) -> None:
        """Forget everything: requests, billing, usage, glossaries, rules."""
        self._reset_state()

    def _pick_rules(self, path: str) -> Tuple[float, Optional[_Rule]]:
        """Return (delay seconds, intercepting rule or None); consumes counts."""
        delay = 0.0
        chosen: Optional[_Rule] = None
        passing: List[_Rule] = []  # fail_after rules still in their "ok" phase
        with self._lock:
            for rule in list(self._rules):
                if not rule.matches(path):
                    continue
                if rule.kind == "delay":
                    delay += rule.seconds
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                    continue
                if chosen is not None:
                    continue
                if rule.kind == "fail_after":
                    if rule.n_ok > 0:
                        passing.append(rule)
                    else:
                        chosen = rule  # fails until reset_failures()
                    continue
                chosen = rule
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
            if chosen is None:
                # only requests that really get through count as "ok"
                for rule in passing:
                    rule.n_ok -= 1
        return delay, chosen

    # ------------------------------------------------------------- endpoints
    def _check_auth(self, record: dict) -> _Account:
        key = record["auth_key"]
        with self._lock:
            if record["auth_scheme"] == "DeepL-Auth-Key" and key not in self._revoked:
                if key == self.auth_key:
                    return self._primary
                if key in self._accounts:
                    return self._accounts[key]
        raise _HTTPError(403, "Wrong or missing auth key (expected "
                              "'Authorization: DeepL-Auth-Key <key>')")

    def _route(self, method: str, path: str, record: dict, acct: _Account) -> Tuple[int, Any]:
        params = record["params"]
        parts = [p for p in path.split("/") if p]
        if path == "/v2/translate":
            if method != "POST":
                raise _HTTPError(405)
            return self._translate(params, record, acct)
        if path == "/v2/usage":
            if method not in ("GET", "POST"):
                raise _HTTPError(405)
            with self._lock:
                return 200, {"character_count": acct.count,
                             "character_limit": acct.limit}
        if path == "/v2/languages":
            if method not in ("GET", "POST"):
                raise _HTTPError(405)
            if str(params.get("type", "source")).lower() == "target":
                return 200, [
                    {"language": c, "name": n, "supports_formality": f}
                    for c, (n, f) in TARGET_LANGUAGES.items() if c not in ("EN", "PT")
                ]
            return 200, [{"language": c, "name": n} for c, n in SOURCE_LANGUAGES.items()]
        if path == "/v2/glossary-language-pairs":
            if method != "GET":
                raise _HTTPError(405)
            return 200, {"supported_languages": [
                {"source_lang": s, "target_lang": t}
                for s in GLOSSARY_LANGUAGES for t in GLOSSARY_LANGUAGES if s != t
            ]}
        if parts[:2] == ["v3", "glossaries"]:
            return self._glossary_route(method, parts[2:], params, acct)
        raise _HTTPError(404, f"No such endpoint: {method} {path}")

    def _translate(self, params: dict, record: dict, acct: _Account) -> Tuple[int, Any]:
        texts = params.get("text")
        if texts is None or texts == []:
            raise _HTTPError(400, "Parameter 'text' not specified.")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise _HTTPError(400, "Parameter 'text' must be a list of strings.")
        if len(texts) > self.max_texts:
            raise _HTTPError(400, f"Too many texts: at most {self.max_texts} "
                                  "texts may be sent in one request.")
        target = str(params.get("target_lang") or "").upper()
        if not target:
            raise _HTTPError(400, "Parameter 'target_lang' not specified.")
        if target not in TARGET_LANGUAGES:
            raise _HTTPError(400, "Value for 'target_lang' not supported.")
        source = params.get("source_lang")
        source = str(source).upper() if source else None
        if source is not None and source not in SOURCE_LANGUAGES:
            raise _HTTPError(400, "Value for 'source_lang' not supported.")
        formality = params.get("formality")
        if formality is not None:
            formality = str(formality).lower()
            if formality not in FORMALITY_VALUES:
                raise _HTTPError(400, "Value for 'formality' not supported.")
            if (self.strict_formality and formality in ("more", "less")
                    and not TARGET_LANGUAGES[target][1]):
                raise _HTTPError(400, "'formality' is not supported for "
                                      "given 'target_lang'.")
        glossary_id = params.get("glossary_id")
        if glossary_id:
            if source is None:
                raise _HTTPError(400, "Use of a glossary requires the "
                                      "'source_lang' parameter to be specified.")
            with self._lock:
                glossary = acct.glossaries.get(glossary_id)
                if glossary is None:
                    raise _HTTPError(400, "Invalid glossary_id: glossary not found.")
                if (source.lower(), _base_lang(target)) not in glossary["dictionaries"]:
                    raise _HTTPError(400, "Glossary has no dictionary for the "
                                          "given language pair.")
        chars = sum(len(t) for t in texts)
        with self._lock:
            if acct.limit is not None and acct.count + chars > acct.limit:
                raise _HTTPError(456, "Quota exceeded. The character limit has "
                                      "been reached.")
            acct.count += chars
            acct.billed[target] = acct.billed.get(target, 0) + chars
            self._billed[target] = self._billed.get(target, 0) + chars
            record["billed"] = chars
        fn = self.translate_fn or (lambda text, _p: f"[{target}] {text}" if text else "")
        model_type = params.get("model_type")
        translations = []
        for text in texts:
            item = {
                "detected_source_language": source or self.detected_source_language,
                "text": fn(text, params),
            }
            if params.get("show_billed_characters") in (True, "1", "true", 1):
                item["billed_characters"] = len(text)
            if model_type:
                used = str(model_type)
                item["model_type_used"] = used[len("prefer_"):] if used.startswith("prefer_") else used
            translations.append(item)
        return 200, {"translations": translations}

    def _glossary_json(self, gid: str, g: dict) -> dict:
        return {
            "glossary_id": gid,
            "name": g["name"],
            "ready": True,
            "creation_time": g["creation_time"],
            "dictionaries": [
                {"source_lang": s, "target_lang": t, "entry_count": len(e)}
                for (s, t), e in g["dictionaries"].items()
            ],
        }

    def _dict_key(self, d: Any) -> Tuple[str, str]:
        if not isinstance(d, dict):
            raise _HTTPError(400, "Invalid dictionary")
        s, t = str(d.get("source_lang") or ""), str(d.get("target_lang") or "")
        if not s or not t:
            raise _HTTPError(400, "Dictionary needs 'source_lang' and 'target_lang'.")
        s, t = _base_lang(s), _base_lang(t)
        if s not in GLOSSARY_LANGUAGES or t not in GLOSSARY_LANGUAGES or s == t:
            raise _HTTPError(400, f"Unsupported glossary language pair {s}->{t}.")
        return s, t

    def _glossary_route(self, method: str, rest: List[str], params: dict, acct: _Account):
        glossaries = acct.glossaries
        with self._lock:
            if not rest:
                if method == "GET":
                    return 200, {"glossaries": [self._glossary_json(gid, g)
                                                for gid, g in glossaries.items()]}
                if method == "POST":
                    name = params.get("name")
                    dicts = params.get("dictionaries")
                    if not name:
                        raise _HTTPError(400, "Parameter 'name' not specified.")
                    if not isinstance(dicts, list) or not dicts:
                        raise _HTTPError(400, "Parameter 'dictionaries' not specified.")
                    dictionaries = {}
                    for d in dicts:
                        key = self._dict_key(d)
                        if key in dictionaries:
                            raise _HTTPError(400, "Duplicate language pair.")
                        dictionaries[key] = _parse_entries(d.get("entries"),
                                                           d.get("entries_format", "tsv"))
                    gid = str(uuid.uuid4())
                    glossaries[gid] = {"name": name, "creation_time": _now_iso(),
                                       "dictionaries": dictionaries}
                    return 201, self._glossary_json(gid, glossaries[gid])
                raise _HTTPError(405)
            gid = rest[0]
            g = glossaries.get(gid)
            if g is None:
                raise _HTTPError(404, "Glossary not found.")
            sub = rest[1] if len(rest) > 1 else None
            if sub is None:
                if method == "GET":
                    return 200, self._glossary_json(gid, g)
                if method == "DELETE":
                    del glossaries[gid]
                    return 204, None
                if method == "PATCH":
                    if "name" in params:
                        if not params["name"]:
                            raise _HTTPError(400, "Glossary name must not be empty.")
                    updates = []
                    for d in params.get("dictionaries") or []:
                        updates.append((self._dict_key(d), _parse_entries(
                            d.get("entries"), d.get("entries_format", "tsv"))))
                    if "name" in params:
                        g["name"] = params["name"]
                    for key, entries in updates:
                        g["dictionaries"].setdefault(key, {}).update(entries)
                    return 200, self._glossary_json(gid, g)
                raise _HTTPError(405)
            if sub == "entries" and method == "GET":
                key = self._dict_key(params)
                if key not in g["dictionaries"]:
                    raise _HTTPError(404, "Dictionary not found.")
                return 200, {"dictionaries": [{
                    "source_lang": key[0], "target_lang": key[1],
                    "entries": _entries_to_tsv(g["dictionaries"][key]),
                    "entries_format": "tsv",
                }]}
            if sub == "dictionaries" and method == "PUT":
                key = self._dict_key(params)
                entries = _parse_entries(params.get("entries"),
                                         params.get("entries_format", "tsv"))
                g["dictionaries"][key] = entries
                return 200, {"source_lang": key[0], "target_lang": key[1],
                             "entry_count": len(entries)}
            if sub == "dictionaries" and method == "DELETE":
                key = self._dict_key(params)
                if key not in g["dictionaries"]:
                    raise _HTTPError(404, "Dictionary not found.")
                del g["dictionaries"][key]
                return 204, None
            raise _HTTPError(404, "No such endpoint")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # clients that time out / hang up mid-answer are expected in tests
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeDeepL  # set on the bound subclass
    protocol_version = "HTTP/1.1"
    server_version = "FakeDeepL/1.0"
    timeout = 30  # idle keep-alive connections end eventually
    disable_nagle_algorithm = True  # avoid 40 ms delayed-ACK stalls

    def log_message(self, format, *args):  # noqa: A002 - silence stderr
        pass

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    # ---------------------------------------------------------------- helpers
    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    @staticmethod
    def _collapse(pairs: Dict[str, List[str]]) -> Dict[str, Any]:
        return {k: (v if k in _LIST_KEYS else (v[0] if len(v) == 1 else v))
                for k, v in pairs.items()}

    def _parse_body(self, raw: bytes, content_type: str) -> Dict[str, Any]:
        if not raw:
            return {}
        if content_type == "application/json":
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise _HTTPError(400, "Invalid JSON body.") from None
            if not isinstance(body, dict):
                raise _HTTPError(400, "JSON body must be an object.")
            return body
        if content_type in ("application/x-www-form-urlencoded", ""):
            return self._collapse(urllib.parse.parse_qs(
                raw.decode("utf-8", "replace"), keep_blank_values=True))
        raise _HTTPError(415, f"Unsupported Content-Type {content_type}")

    def _send(self, status: int, payload: Any, headers: Optional[Dict[str, str]] = None):
        try:
            body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        except UnicodeEncodeError:  # a lone surrogate (translate_fn): sent as \ud800
            body = json.dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        # headers and body in a single write
        self._headers_buffer.append(b"\r\n" + body)
        self.flush_headers()

    # --------------------------------------------------------------- dispatch
    def _dispatch(self):
        fake = self.fake
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        raw = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()
                   if k.lower() != "authorization"}
        auth = self.headers.get("Authorization") or ""
        scheme, _, key = auth.partition(" ")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        record: Dict[str, Any] = {
            "method": self.command,
            "path": path,
            "raw_query": split.query,
            "query": self._collapse(urllib.parse.parse_qs(split.query, keep_blank_values=True)),
            "headers": headers,
            "auth_scheme": scheme or None,
            "auth_key": key.strip() if scheme else None,
            "content_type": content_type or None,
            "raw_body": raw.decode("utf-8", "replace"),
            "params": {},
            "status": None,
            "outcome": None,
            "response": None,
            "time": time.monotonic(),
        }
        if path == "/v2/translate":
            record.update(texts=[], target_lang=None, source_lang=None,
                          glossary_id=None, billed=0)
        with fake._lock:
            record["id"] = len(fake._requests)
            fake._requests.append(record)

        # Parse parameters up front (best effort) so that even injected or
        # dropped attempts show what the client sent.
        params: Dict[str, Any] = dict(record["query"])
        parse_error: Optional[_HTTPError] = None
        try:
            params.update(self._parse_body(raw, content_type))
        except _HTTPError as e:
            parse_error = e
        record["params"] = params
        if path == "/v2/translate":
            texts = params.get("text")
            record.update(
                texts=[texts] if isinstance(texts, str)
                else (list(texts) if isinstance(texts, list) else []),
                target_lang=str(params.get("target_lang") or "").upper() or None,
                source_lang=str(params.get("source_lang") or "").upper() or None,
                glossary_id=params.get("glossary_id"),
            )

        delay, rule = fake._pick_rules(path)
        if delay:
            time.sleep(delay)
        if rule is not None and (rule.kind == "drop" or (rule.kind == "fail_after" and rule.status == 0)):
            record["outcome"] = "dropped"
            self.close_connection = True
            return
        if rule is not None and rule.kind == "raw":
            record.update(status=rule.status, outcome="injected", response=None)
            self.send_response(rule.status)
            self.send_header("Content-Type", rule.content_type)
            self.send_header("Content-Length", str(len(rule.body)))
            self._headers_buffer.append(b"\r\n" + rule.body)
            self.flush_headers()
            return
        if rule is not None:
            payload = {"message": rule.message or _DEFAULT_MESSAGES.get(rule.status, "Error")}
            record.update(status=rule.status, outcome="injected", response=payload)
            self._send(rule.status, payload, rule.headers)
            return

        try:
            if len(raw) > fake.max_request_bytes and path == "/v2/translate":
                raise _HTTPError(413, f"Request size exceeds the limit of "
                                      f"{fake.max_request_bytes} bytes.")
            acct = fake._check_auth(record)
            if parse_error is not None:
                raise parse_error
            status, payload = fake._route(self.command, path, record, acct)
            record.update(status=status, outcome="ok", response=payload)
        except _HTTPError as e:
            status, payload = e.status, {"message": e.message}
            record.update(status=status, outcome="error", response=payload)
        except Exception as e:  # bug in the fake: make it visible
            status, payload = 500, {"message": f"FakeDeepL internal error: {e!r}"}
            record.update(status=status, outcome="error", response=payload)
        self._send(status, payload)


# ---------------------------------------------------------------- pytest glue
def fast_retries(monkeypatch, max_retries: int = 2,
                 timeout: Optional[float] = None) -> int:
    """Make deepl's retry loop near-instant for this test.

    Sets ``deepl.http_client.max_network_retries`` to ``max_retries`` (so a
    request is attempted at most ``max_retries + 1`` times) and shrinks the
    ``_BackoffTimer`` backoff to ~1 ms.  ``timeout`` optionally lowers
    ``deepl.http_client.min_connection_timeout`` (the per-attempt socket
    timeout, default 10 s) for tests using ``delay_next``.  Returns
    ``max_retries``.
    """
    from deepl import http_client

    monkeypatch.setattr(http_client, "max_network_retries", max_retries)
    monkeypatch.setattr(http_client._BackoffTimer, "BACKOFF_INITIAL", 0.001)
    monkeypatch.setattr(http_client._BackoffTimer, "BACKOFF_MAX", 0.005)
    monkeypatch.setattr(http_client._BackoffTimer, "BACKOFF_JITTER", 0.0)
    if timeout is not None:
        monkeypatch.setattr(http_client, "min_connection_timeout", timeout)
    return max_retries


@pytest.fixture
def deepl_server():
    """Yields a running FakeDeepL; sets nothing in the environment. Shuts down after."""
    server = FakeDeepL().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def deepl_fast_retries(monkeypatch) -> int:
    """Near-instant deepl backoff with max_network_retries=2; yields 2."""
    return fast_retries(monkeypatch, max_retries=2)


@pytest.fixture
def deepl_client(deepl_server):
    """A real deepl.DeepLClient for ``deepl_server`` (closed afterwards)."""
    client = deepl_server.client()
    try:
        yield client
    finally:
        client.close()
