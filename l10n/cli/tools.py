"""`l10n tm`, `merge-driver` and `tui`: the memory as TMX, git's merge driver, the terminal UI."""
from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from .common import add_c, output_file, plural, project_of, say, user_path


def args_tm(sp) -> None:
    sp.set_defaults(func=lambda a: sp.print_help() or 2)
    tm_sub = sp.add_subparsers(dest="tm_command", metavar="ACTION")
    ex = tm_sub.add_parser("export", help="write every pair of the memory to FILE.tmx",
                           description="Write every pair of the translation memory to FILE.tmx "
                           "(TMX 1.4). FILE is relative to the folder you are in, not to -C; "
                           "its folder must exist.")
    add_c(ex)
    ex.add_argument("file", metavar="FILE.tmx", help="the TMX file to write (replaced if it exists)")
    ex.set_defaults(func=cmd_tm_export)
    im = tm_sub.add_parser("import", help="add the pairs of FILE.tmx to the project memory",
                           description="Add the pairs of FILE.tmx (TMX 1.4, from any CAT tool) "
                           "to the project memory, locales/memory.tmx. FILE is relative to the "
                           "folder you are in, not to -C.")
    add_c(im)
    im.add_argument("file", metavar="FILE.tmx", help="the TMX file to read")
    im.set_defaults(func=cmd_tm_import)


def cmd_tm_export(args) -> int:
    from ..project_memory import ProjectMemory
    from ..tmx import export_tmx

    project = project_of(args)
    dest = output_file(args.file)
    with ProjectMemory(project) as pm:  # the index is closed before the file is written
        tm = pm.load()
    n = export_tmx(tm, dest)
    say(f"wrote {plural(n, 'translation unit')} to {args.file}")
    return 0


def cmd_tm_import(args) -> int:
    from ..project_memory import ProjectMemory
    from ..errors import InputError
    from ..memory import TranslationMemory
    from ..tmx import import_tmx
    from ..workspace import update_memory_tmx

    project = project_of(args)
    src = user_path(args.file)
    if not src.is_file():
        raise InputError("no such file", src)
    incoming = TranslationMemory()
    n = import_tmx(src, incoming)
    store = ProjectMemory(project).tmx_path()
    langs = set(project.languages)

    def add(kept: TranslationMemory) -> int:  # runs under the memory file's lock
        added = 0
        for lang, s, t, origin in incoming.pairs():
            if lang in langs:
                kept.add(lang, s, t, origin)
                added += 1
        return added

    added = update_memory_tmx(project, store, add)
    say(f"read {plural(n, 'pair')} from {args.file}; {added} in this project's languages kept "
        f"in {project.rel(store)}")
    return 0


MERGE_DRIVER_EPILOG = (
    "Git runs `l10n merge-driver %O %A %B %P` for every *.po file it merges\n"
    "(.gitattributes: `*.po merge=l10n-po`). Run `l10n merge-driver --install`\n"
    "once per clone: it writes .gitattributes and sets merge.l10n-po.driver in\n"
    "the repository's git config to this Python (absolute path) running l10n,\n"
    "so the driver works even where `l10n` is not on PATH.\n\n"
    "Entries changed on one side are taken; an entry changed differently on\n"
    "both sides stays in the file as a conflict (fuzzy, both sides recorded in\n"
    "`# l10n: conflict` comments), exit 1, and git reports the conflict.\n"
    "`l10n status` counts them; `l10n resolve` or the TUI picks a side.\n"
    "A version that does not parse: exit 2, the file is left as ours.")


def args_merge_driver(sp) -> None:
    sp.add_argument("files", nargs="*", metavar="FILE",
                    help="%%O %%A %%B [%%P]: the common ancestor, ours (the result is written "
                         "there), theirs, and the file's path in the repository")
    sp.add_argument("--install", action="store_true",
                    help="set up the driver in this project's git repository")


def cmd_merge_driver(args) -> int:
    if args.install:
        from ..gitsetup import configure_git, driver_command

        if args.files:
            raise UsageError("--install takes no files")
        project = project_of(args)
        changed = configure_git(project.root, any_repo=True)
        if not any(c.startswith(".git/") for c in changed):
            raise UsageError(f"{project.root} is not inside a git repository (git init first)")
        say(f"merge driver for *.po set up in {project.root}:")
        say("  .gitattributes: *.po merge=l10n-po")
        say(f"  git config merge.l10n-po.driver: {driver_command()}")
        return 0
    if len(args.files) not in (3, 4):
        raise UsageError("git runs `l10n merge-driver %O %A %B %P`; "
                         "to set it up, run `l10n merge-driver --install`")
    from ..gitmerge import merge_files

    base, ours, theirs = (Path(f) for f in args.files[:3])
    name = args.files[3] if len(args.files) == 4 else str(ours)
    return merge_files(base, ours, theirs, name)


def args_tui(sp) -> None:
    sp.add_argument("article", nargs="?", metavar="ARTICLE", help="open this article at once")
    sp.add_argument("--lang", metavar="L", help="start in this target language, e.g. ko (default: the one "
                    "you left the TUI in last time, else the first in l10n.yaml)")
    sp.add_argument("--as", dest="as_name", metavar="NAME",
                    help="your name, recorded with approvals and translations")


def cmd_tui(args) -> int:
    from ..actions import given_name

    user = given_name(args.as_name)  # a blank name is refused before Textual starts
    from ..tui.app import run  # Textual is imported only when the TUI runs

    return run(Path(args.C) if args.C else None, user=user, lang=args.lang,
               article=args.article)
