"""Keys take effect in the order they were typed, however fast they come.

Textual hands a key to the focused widget's queue (text for the editor, the list's arrow
keys, whose bindings run when the key has bubbled back up to the app), but runs a
priority binding (every screen command of keys.py: enter, a, r, ctrl+s ...) as soon as
the key reaches the app. In a burst (a fast typist, a machine under load, a key held
down, a macro) the command overtook the keys before it: "down down enter" opened the
article the cursor was on before the downs, "down a" approved the entry above the one
moved to, and "Tokyo ctrl+s" saved the entry without "Tokyo", then typed it into the
next one.

`KeyOrder` (mixed into the app) lets one key through at a time. A key handed to a
widget is followed along its path by a `KeyPassed` marker, posted right behind it to the
same widget: every queue hands the two on in order, so when the marker is back at the
app the key has been handled wherever it went. A key a command took is done once what
the command posted to the app (a deferred focus change) has run. Keys that come
meanwhile wait, in order, and are let through one by one. A marker lost with its widget
(removed while the key travelled) cannot stop the keyboard: after `KEY_WAIT` seconds the
waiting keys go through anyway.

A paste is held like a key. Typing at a human pace never waits: a key's marker is back
before the next key comes. Mouse events are not held (a click aims at what is on
screen).
"""
from __future__ import annotations

import time
from collections import deque

from textual import events
from textual.message import Message

KEY_WAIT = 0.5  # seconds a key waits for the one before it, at most


class KeyPassed(Message):
    """Follows a key along its way to the app: when it arrives, that key was handled."""

    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


class KeyOrder:
    """Mixin for the App (before `App` in the bases): see the module's docstring."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._keys_let = 0  # keys let through so far: each one's serial
        self._key_serial = 0  # the key in flight (its marker's serial); 0: none
        self._key_since = 0.0  # when its marker set out
        self._keys_waiting: deque = deque()
        self._key_timer = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self._key_serial or self._keys_waiting:  # the key before is on its way
                self._keys_waiting.append(event)
                if self._key_timer is None:
                    self._key_timer = self.set_timer(KEY_WAIT, self._keys_overdue, name="keys-overdue")
                return
            await self._let_through(event)
            return
        await super().on_event(event)

    async def _let_through(self, event: events.Event) -> None:
        self._keys_let = serial = self._keys_let + 1
        self._key_serial = serial
        await super().on_event(event)
        self._key_since = time.monotonic()  # KEY_WAIT times the marker's trip, not the command
        if event.is_forwarded:  # handed to a widget: the marker follows it
            try:
                target = self.focused or self.screen
            except Exception:  # noqa: BLE001 - no screen any more (the app is closing)
                target = None
            if target is not None and target.post_message(KeyPassed(serial)):
                return
        # taken by a command (or its widget is closing): done once what the command
        # posted to the app (a focus change, a dialog's) has run
        self.call_later(self._key_done, serial)

    async def on_key_passed(self, message: KeyPassed) -> None:
        message.stop()
        await self._key_done(message.serial)

    async def _key_done(self, serial: int) -> None:
        if serial != self._key_serial:
            return  # a late marker, after KEY_WAIT let the keys go
        self._key_serial = 0
        await self._next_key()

    async def _next_key(self) -> None:
        waiting = self._keys_waiting
        if waiting:
            await self._let_through(waiting.popleft())
        if not waiting and self._key_timer is not None:
            self._key_timer.stop()
            self._key_timer = None

    async def _keys_overdue(self) -> None:
        self._key_timer = None
        if self._key_serial and time.monotonic() - self._key_since > KEY_WAIT:
            self._key_serial = 0  # its marker was lost with its widget
            await self._next_key()
        if self._keys_waiting and self._key_timer is None:
            self._key_timer = self.set_timer(KEY_WAIT, self._keys_overdue, name="keys-overdue")
