"""Write an SVG screenshot of the article screen, for the README.

    python -m tests.screenshot [OUT.svg] [--size 100x30] [--source DIR]

It runs the real app headless on a temporary copy of the sample newsletter in a fixed
state (tests/demo.py): the same picture every time, and the repository is not touched.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "docs" / "tui-article.svg"


async def article_svg(source: Path, size: tuple[int, int] = (100, 30), entry: int = 4,
                      edit: bool = True) -> str:
    from l10n.tui.app import L10nApp
    from l10n.tui.article import ArticleScreen
    from tests.demo import OITA, REVIEWER, make_demo

    with tempfile.TemporaryDirectory() as d:
        project = make_demo(source, Path(d) / "sample")
        app = L10nApp(project, user=REVIEWER, poll_interval=None)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            app.open_article(OITA, "en")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ArticleScreen)
            screen.move_to(entry - 1)
            await pilot.pause()
            while screen.suggestions_pending():  # the memory is searched once the cursor rests
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            await pilot.pause()
            if edit:
                await pilot.press("enter")
            await pilot.pause()
            return app.export_screenshot(title="l10n tui")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--size", default="100x30", help="WIDTHxHEIGHT (default 100x30)")
    ap.add_argument("--source", type=Path, default=REPO,
                    help="where the sample newsletter is (l10n.yaml, content/)")
    a = ap.parse_args(argv)
    w, h = (int(x) for x in a.size.lower().split("x"))
    svg = asyncio.run(article_svg(a.source, (w, h)))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(svg, "utf-8")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
