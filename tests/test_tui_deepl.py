"""The TUI shows DeepL's words inert (issue 13): a server message with Rich markup in it
is displayed as text, neither interpreted nor crashing the app."""
from __future__ import annotations

import pytest

from l10n.tui.app import L10nApp
from l10n.tui.dashboard import DashboardScreen

SIZE = (100, 30)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.asyncio
async def test_deepl_error_text_is_shown_with_markup_off(demo, deepl_server, deepl_fast_retries,
                                                         monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", deepl_server.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    hostile = "[/bold] [link=https://evil.example]click here[/link] [reverse]gone"
    deepl_server.fail_next(400, count=20, message=hostile)
    app = L10nApp(demo, user="Tess Tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await settle(pilot)
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        shown = [n.message for n in app._notifications]
        assert any(hostile in m for m in shown), shown
        assert all(not n.markup for n in app._notifications if hostile in n.message)
