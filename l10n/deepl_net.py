"""How DeepL failures reach the user: the network reason in a few words, the server's
own words from its `message` field only (redacted, control characters visible, cut at a
word boundary), and a connection that cannot even be opened reported at once.
"""
from __future__ import annotations

import json

from .secrets import server_message


class _Unreachable(Exception):
    """Raised from the HTTP session when no TCP connection can be opened (refused,
    unreachable, unknown host): the client reports it at once instead of retrying."""


def _fail_fast(client) -> None:
    """Make a connection that cannot even be opened fail without the client's retries
    (5 retries, ~16 s of backoff: a closed port reported after 16.5 s). Answers the
    server gives (429, 5xx) and timeouts are still retried as the client does it."""
    session = getattr(getattr(client, "_client", None), "_session", None)
    if session is None:
        return
    import requests
    from urllib3.exceptions import NewConnectionError

    send = session.send

    def send_once(request, **kwargs):
        try:
            return send(request, **kwargs)
        except requests.exceptions.ConnectionError as exc:
            if any(isinstance(e, NewConnectionError) for e in _chain(exc)):
                raise _Unreachable(_net_reason(exc)) from exc
            raise

    session.send = send_once


def _chain(exc: BaseException):
    """`exc` and what caused it: __cause__, __context__, a wrapped `reason`, args[0]."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen or not isinstance(e, BaseException):
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__, getattr(e, "reason", None)]
        if e.args and isinstance(e.args[0], BaseException):
            todo.append(e.args[0])


def _net_reason(exc: BaseException) -> str:
    import socket
    import ssl

    for e in _chain(exc):
        if isinstance(e, _Unreachable):
            return str(e)
    kinds = list(_chain(exc))
    for e in kinds:
        if isinstance(e, ConnectionRefusedError):
            return "connection refused (nothing answers at that address)"
        if isinstance(e, socket.gaierror) or type(e).__name__ == "NameResolutionError":
            return "the host name does not resolve"
        if isinstance(e, ssl.SSLError):
            return "the TLS handshake failed"
    for e in kinds:
        if isinstance(e, (TimeoutError, socket.timeout)) or "Timeout" in type(e).__name__:
            return "no answer in time, even after retrying"
        if isinstance(e, ConnectionResetError):
            return "the connection was reset"
        if type(e).__name__ in ("RemoteDisconnected", "ProtocolError"):
            return "the server closed the connection without answering"
        if isinstance(e, OSError) and e.strerror:
            return e.strerror.lower()
    return "network error"


def _server_said(exc: BaseException) -> str:
    """': <the server's message field>' (made safe), or '' when it sent none."""
    text = str(exc)
    raw = None
    if ", message: " in text:
        raw = text.split(", message: ", 1)[1].split(", detail: ", 1)[0]
    elif ", content: " in text:
        try:
            body = json.loads(text.split(", content: ", 1)[1].rstrip(".")) or {}
            raw = body.get("message") if isinstance(body, dict) else None
        except ValueError:
            raw = None
    msg = server_message(raw)
    return f": {msg}" if msg else ""
