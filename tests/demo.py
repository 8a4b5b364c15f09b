"""A demo project in a known state, for tests, snapshots, the README screenshot and the
benchmarks: the sample newsletter, synced, with a fixed mix of review states.

Every change goes through the core (update_catalog and the review functions) with fixed
times, so the same code gives the same bytes every time: snapshots stay deterministic.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from l10n import review
from l10n.catalog import Catalog
from l10n.project import Project
from l10n.sync import sync
from l10n.workspace import update_catalog

WHEN = "2026-02-03T09:00:00Z"
TRANSLATOR = "Ken Mori"
REVIEWER = "Aiko Tanaka"
OITA = "2026-02/oita-bay-area"

# (article, lang, entry number from 1, kind, text, extra)
# kind: draft (deepl), memory (score in extra), done (translated), ok (approved),
#       rejected (draft + note in extra), changed (draft whose source changed: old source in extra)
SEED: list[tuple[str, str, int, str, str, object]] = [
    (OITA, "en", 1, "ok", "Oita Governor Visits the San Francisco Bay Area", None),
    (OITA, "en", 2, "done", "In November 2025, Governor Sato of Oita Prefecture visited the San "
     "Francisco Bay Area, promoting Oita through a meeting with Mayor Lurie and the "
     "\u201cExperience Oita\u201d reception.", None),
    (OITA, "en", 3, "draft", "Governor Sato meeting Mayor Lurie", None),
    (OITA, "en", 4, "rejected", "Visitors enjoy food using Oita ingredients",
     "say \u201cdishes made with ingredients from Oita Prefecture\u201d"),
    (OITA, "en", 5, "memory", "The Oita sake booth and the booths for prefectural products", 87),
    (OITA, "en", 6, "done", "In November, Governor Sato of Oita Prefecture visited the San "
     "Francisco Bay Area in the United States.", None),
    (OITA, "en", 7, "draft", "The visit aimed to develop global talent, attract tourists and "
     "open new sales channels for products of the prefecture.", None),
    (OITA, "en", 10, "changed", "Governor Sato held talks with Mayor Lurie.",
     "佐藤知事は、ルーリー市長と会談しました。"),
    (OITA, "en", 16, "ok", "Dishes made with ingredients from Oita Prefecture were served.", None),
    (OITA, "en", 17, "draft", "Sake booths by breweries in the prefecture were set up.", None),
    (OITA, "ko", 1, "ok", "오이타현 지사, 샌프란시스코 베이 에어리어 방문", None),
    (OITA, "ko", 2, "draft", "2025년 11월, 오이타현의 사토 지사가 샌프란시스코 베이 에어리어를 방문하여 "
     "루리 시장과의 회담과 리셉션 「Experience Oita」를 통해 오이타의 매력을 알렸습니다.", None),
    (OITA, "ko", 3, "done", "루리 시장과 회담하는 사토 지사", None),
    (OITA, "ko", 4, "draft", "오이타현산 식재료로 만든 요리를 즐기는 방문객", None),
    (OITA, "ko", 6, "draft", "2025년 11월, 오이타현의 사토 지사가 미국 샌프란시스코 베이 에어리어를 "
     "방문했습니다.", None),
    (OITA, "es", 1, "draft", "El gobernador de Oita visita el área de la bahía de San Francisco", None),
    (OITA, "es", 3, "done", "El gobernador Sato se reúne con el alcalde Lurie", None),
    ("2026-02/kanra-nicaragua", "en", 1, "ok", "Kanra Town and Nicaragua", None),
    ("2026-02/kanra-nicaragua", "en", 2, "done", "Kanra Town in Gunma Prefecture and Nicaragua "
     "have deepened their exchange since the Tokyo 2020 Games.", None),
    ("2026-02/kanra-nicaragua", "en", 3, "draft", "Kanra residents donate shoes", None),
    ("2026-02/small-cities-korea", "ko", 1, "draft", "한국에서 「일본의 작은 도시」 홍보", None),
]


def copy_sample(source_root: Path, dest: Path) -> Path:
    """The sample newsletter's sources (no catalogs) copied to `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(source_root / "l10n.yaml", dest / "l10n.yaml")
    shutil.copytree(source_root / "content", dest / "content")
    (dest / "locales").mkdir(exist_ok=True)
    shutil.copy(source_root / "locales" / "glossary.yaml", dest / "locales" / "glossary.yaml")
    return dest


def seed(project: Project) -> None:
    """Sync (no machine translation), then put the SEED states into the catalogs."""
    sync(project)
    for aid, lang, n, kind, text, extra in SEED:
        if aid not in project.article_ids():
            continue

        def change(cat: Catalog, n=n, kind=kind, text=text, extra=extra) -> None:
            active = cat.active()
            if n > len(active):
                return
            e = active[n - 1]
            if kind in ("draft", "rejected", "changed"):
                review.set_draft(e, text, "deepl")
            elif kind == "memory":
                review.set_draft(e, text, "memory", int(extra))
            elif kind in ("done", "ok"):
                review.set_draft(e, text, "deepl")
                review.set_translation(e, text, TRANSLATOR, when=WHEN)
                if kind == "ok":
                    review.approve(e, REVIEWER, when=WHEN)
            if kind == "rejected":
                review.reject(e, REVIEWER, str(extra), when=WHEN)
            if kind == "changed":
                e.previous_msgid = str(extra)
                review.set_translation(e, text, TRANSLATOR, when=WHEN)
                e.previous_msgid = str(extra)
                e.fuzzy = True
                review.clear_review(e)

        update_catalog(project, lang, aid, change)


def make_demo(source_root: Path, dest: Path) -> Project:
    copy_sample(source_root, dest)
    project = Project(dest)
    seed(project)
    return project
