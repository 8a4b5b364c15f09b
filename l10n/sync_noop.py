"""A no-op `l10n sync --no-mt` answered from a record, without loading the rest of l10n.

A sync with nothing to do reads every article's, template's and catalog's stat key and
finds each equal to what the sync state recorded (sync_state.py); it then prints a
summary that depends only on that state. Python's imports (PyYAML for `l10n.yaml`,
argparse, the command table) cost several times that work, so after every sync the
CLI writes `.l10n/noop-sync`: what the next `l10n sync --no-mt` would print if
nothing changed, and every fact that decision rests on. `replay` checks all of them
with `os` alone (the record is flat bytes, no JSON), before the CLI loads anything else:

* the code: the Python version, this installation of l10n, the stat key of every l10n
  module that ran the sync, and where `yaml` and `babel` are found (their stat keys too);
* `l10n.yaml`: a regular file (not a link) holding the same bytes, whose paths
  (content, locales, glossary, publishing.out, review.reviewers) resolve as before
  (symlinks along them decide the configuration too), and Babel's data file for every
  target language (the configuration's language check);
* the glossary's bytes (a no-op sync loads and validates it);
* `.l10n/`: a folder, no symlink in it, `.gitignore` there (else the sync writes one);
  `sync-state.json` with the stat key it had when the record was made;
* the article ids under `content/` and the orphan templates under `locales/templates/`
  (both folders walked as sync walks them; any symlink there: no answer). The walk is
  saved when every folder the record saw still has its recorded stat key (mtime, ctime
  and inode, not following links): a name added, removed or renamed in a folder changes
  its times. A folder whose times were not older than the record's clock when it was
  listed is not vouched for (a change in the same clock tick would leave them as they
  were), so `certify` waits for the clock to move on, and else records no folders;
* `.l10n/noop-clock`, written before that listing to read the filesystem's clock;
* the stat key of every article, template and catalog, equal to the sync state's.

When the process is the command alone (the console script, not a call from other
code), a forked child stats the catalogs while this process checks everything else
(`_Meanwhile`): the stats are most of a no-op, and two cores do them in about half
the time.

Any difference, any error, anything unreadable: `replay` returns None and the full
sync runs, which then writes a new record. So the answer is the full sync's own, on the
same files; the record only saves re-deriving it. (Stat keys are the sync's own rule
for "unchanged": mtime in ns, size and inode.)

`basis` (called by sync at the end of a whole-project sync) and `certify` (by the CLI,
with the text it would print) write the record; they run inside a full sync, so they
may import what they like, lazily. The top of this module imports nothing but `os` and
`sys`: the CLI imports it before anything else.
"""
import os
import sys

RECORD = "noop-sync"
CONFIG_NAME = "l10n.yaml"  # config.CONFIG_NAME (a test checks they agree)
CACHE_DIR = ".l10n"  # project.CACHE_DIR
STATE_FILE = "sync-state.json"  # sync_state.STATE_FILE
CLOCK = "noop-clock"  # written by `certify` to read the filesystem's clock
MAX_GLOSSARY = 1 << 20  # a glossary larger than this is not copied into the record
FINDERS = ("yaml", "babel")  # the libraries whose behaviour decides the configuration


class _Differs(Exception):
    """Something the record vouches for is not as recorded."""


# --------------------------------------------------------------------------- replay

def find_root(start: str) -> str | None:
    """project.find_root without pathlib: the nearest folder holding l10n.yaml."""
    d = os.path.realpath(start)
    while True:
        if os.path.isfile(os.path.join(d, CONFIG_NAME)):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def replay(start: str, split: bool = False) -> str | None:
    """What `l10n sync --no-mt` started in `start` prints, if the record vouches that
    it finds nothing to do; None when anything differs (the full sync must run).
    `split`: this process is the command alone (no threads, nothing else to do), so a
    forked child may stat the catalogs meanwhile (`_Meanwhile`)."""
    try:
        return _replay(start, split)
    except Exception:  # noqa: BLE001 - anything unexpected: the full sync decides
        return None


def _key(path: str) -> list[int]:
    st = os.stat(path)
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _origin(name: str) -> str | None:
    """Where `import name` would load a top-level module from (importlib.util.find_spec
    without importing importlib.util)."""
    mod = sys.modules.get(name)
    if mod is not None:
        return getattr(getattr(mod, "__spec__", None), "origin", None)
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        if find is not None:
            spec = find(name, None)
            if spec is not None:
                return spec.origin
    return None


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _check(ok: bool) -> None:
    if not ok:
        raise _Differs


# The record: MAGIC, then these fields, each written as b"<length>:<bytes>". Lists of
# paths or ids are joined with NUL (which no path holds); stat keys are packed int64s.
MAGIC = b"l10n no-op sync record 2\n"
FIELDS = ("python", "root", "package", "code", "code_keys", "finders", "files", "config",
          "paths", "glossary_path", "glossary", "state", "content", "templates", "locales",
          "langs", "ids", "orphans", "dirs", "dir_keys", "keys", "out")


def _unpack(raw: bytes) -> dict[str, bytes]:
    if not raw.startswith(MAGIC):
        raise _Differs
    out, i = [], len(MAGIC)
    while i < len(raw):
        j = raw.index(b":", i)
        size = int(raw[i:j])
        if size < 0:
            raise _Differs
        end = j + 1 + size
        out.append(raw[j + 1:end])
        i = end
    if len(out) != len(FIELDS) or i != len(raw):
        raise _Differs
    return dict(zip(FIELDS, out))


def _pack(fields: dict[str, bytes]) -> bytes:
    return MAGIC + b"".join(b"%d:%s" % (len(fields[k]), fields[k]) for k in FIELDS)


def _names(field: bytes) -> list[str]:
    return os.fsdecode(field).split("\0") if field else []


def _joined(names) -> bytes:
    return os.fsencode("\0".join(names))


def _ints(field: bytes) -> list[int]:
    """A field of packed int64s, as ints. (replay reads them through a memoryview: the
    `array` module imports `collections`, which costs a no-op 2 ms.)"""
    return memoryview(field).cast("Q").tolist()


def _flat(keys) -> list[int]:
    out: list[int] = []
    for k in keys:
        out.extend(k)
    return out


def _packed(keys) -> bytes:
    from array import array
    from itertools import chain

    return array("Q", chain.from_iterable(keys)).tobytes()


def _replay(start: str, split: bool) -> str | None:
    root = find_root(start)
    if root is None:
        return None
    cache = os.path.join(root, CACHE_DIR)
    raw = _read(os.path.join(cache, RECORD))
    if raw is None:
        return None
    try:
        rec = _unpack(raw)
        _verify(rec, root, cache, split)
    except _Differs:
        return None
    text = rec["out"].decode("utf-8")
    # written to the terminal as it is: only printable lines (an answer planted with an
    # escape sequence in it is not replayed; the full sync speaks instead)
    if not all(line.isprintable() for line in text.split("\n")):
        return None
    return text


def _verify(rec: dict[str, bytes], root: str, cache: str, split: bool) -> None:
    _check(rec["python"] == sys.version.encode("utf-8") and os.fsdecode(rec["root"]) == root)
    content, locales = os.fsdecode(rec["content"]), os.fsdecode(rec["locales"])
    ids, langs = _names(rec["ids"]), _names(rec["langs"])
    keys = memoryview(rec["keys"]).cast("Q")  # as SyncState.unchanged names the files:
    _check(len(keys) == 3 * len(ids) * (2 + len(langs)))  # articles, templates, catalogs
    n = 3 * len(ids)  # keys per group; the catalogs may go to a child
    with _Meanwhile(lambda: _same_keys(_catalogs(ids, locales, langs), keys[2 * n:]),
                    split and len(ids) * len(langs) >= SPLIT_FROM) as catalogs:
        _check(os.fsdecode(rec["package"]) == os.path.dirname(sys.modules["l10n"].__file__))
        _check(_flat(map(_key, _names(rec["code"]))) == _ints(rec["code_keys"]))
        finders = _names(rec["finders"])
        for name, origin in zip(finders[::2], finders[1::2]):
            _check(_origin(name) == origin)
        for path in _names(rec["files"]):
            _check(os.path.isfile(path))
        cfg = os.path.join(root, CONFIG_NAME)
        _check(not os.path.islink(cfg) and _read(cfg) == rec["config"])
        paths = _names(rec["paths"])
        for joined, resolved in zip(paths[::2], paths[1::2]):
            _check(os.path.realpath(joined) == resolved)
        glossary = _read(os.fsdecode(rec["glossary_path"]))
        _check(rec["glossary"] == (b"-" if glossary is None else b"+" + glossary))
        _check(not os.path.islink(cache))
        with os.scandir(cache) as it:
            entries = [(e.name, e.is_symlink()) for e in it]
        _check(not any(link for _name, link in entries)
               and any(name == ".gitignore" for name, _link in entries))
        state = os.path.join(cache, STATE_FILE)
        _check(_key(state) == _ints(rec["state"]) if rec["state"] else
               not os.path.lexists(state))
        dirs = _names(rec["dirs"])
        if not dirs or _flat(map(_dir_key, dirs)) != _ints(rec["dir_keys"]):  # walk again
            _check(articles(content) == ids)
            _check(orphans(os.fsdecode(rec["templates"]), set(ids)) == _names(rec["orphans"]))
        # the articles first: an edit (the usual change) is found here
        _check(_same_keys([f"{content}/{a}.md" for a in ids], keys[:n]))
        _check(_same_keys([f"{locales}/templates/{a}.pot" for a in ids], keys[n:2 * n]))
        _check(catalogs.result())


def _dir_key(path: str) -> tuple[int, int, int]:
    st = os.lstat(path)
    return st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def articles(base: str, seen: list | None = None) -> list[str]:
    """Project.article_ids, for a content folder without symlinks (one: _Differs).
    `seen` collects (folder, its _dir_key taken before it was listed)."""
    out: list[str] = []
    todo = [(base, "")]
    while todo:
        path, prefix = todo.pop()
        if seen is not None:
            seen.append((path, _dir_key(path)))
        with os.scandir(path) as it:
            for d in it:
                name = d.name
                if name.startswith("."):
                    continue
                if d.is_symlink():
                    raise _Differs
                if d.is_dir(follow_symlinks=False):
                    todo.append((d.path, f"{prefix}{name}/"))
                elif name.endswith(".md"):
                    out.append(prefix + name[:-3])
    out.sort()
    return out


def orphans(tdir: str, known: set, seen: list | None = None) -> list[str]:
    """The templates whose article is gone, as sync's os.walk finds them (no symlinks);
    `seen` as for `articles`."""
    out: list[str] = []
    todo = [(tdir, "")]
    while todo:
        path, prefix = todo.pop()
        if seen is not None:
            seen.append((path, _dir_key(path)))
        try:
            it = os.scandir(path)
        except FileNotFoundError:
            if path == tdir:
                return out  # no templates folder: os.walk yields nothing
            raise
        with it:
            for d in it:
                name = d.name
                if d.is_symlink():
                    raise _Differs
                if d.is_dir(follow_symlinks=False):
                    todo.append((d.path, f"{prefix}{name}/"))
                elif name.endswith(".pot") and prefix + name[:-4] not in known:
                    out.append(prefix + name[:-4])
    out.sort()
    return out


def _catalogs(ids: list[str], locales: str, langs: list[str]) -> list[str]:
    """Every catalog a no-op sync stats, language by language."""
    return [f"{locales}/{lang}/{a}.po" for lang in langs for a in ids]


SPLIT_FROM = 1000  # catalogs; below this a fork costs more than the stats it takes


class _Meanwhile:
    """`check()` (true: unchanged) worked out in a forked child while this process goes
    on, when `fork` is true (the process is the command alone: one thread, nothing of
    its own to flush) and the system can fork; else here, at `result()`.

    The stats are most of a no-op and the machine has more than one core: git's status
    preloads its index with threads the same way (here threads would only queue for
    the GIL). The child answers with one byte and ends at once (os._exit: no teardown,
    no flush of buffers it shares with this process); no byte or another byte is
    "differs", and the full sync decides. A fork the system refuses leaves the check to
    this process. The child is reaped on exit from the `with`, whatever happened in it."""

    def __init__(self, check, fork: bool) -> None:
        self.check, self.pid, self.fd = check, None, None
        if not (fork and hasattr(os, "fork")):
            return
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return
        if pid == 0:  # the child: its answer, one byte, gone
            try:
                try:
                    ok = check()
                except BaseException:  # noqa: BLE001 - a missing file, a ^C: "differs"
                    ok = False
                os.write(w, b"1" if ok is True else b"0")
            finally:
                os._exit(0)
        os.close(w)
        self.pid, self.fd = pid, r

    def result(self) -> bool:
        if self.pid is None:
            return self.check()
        return os.read(self.fd, 1) == b"1"

    def __enter__(self) -> "_Meanwhile":
        return self

    def __exit__(self, *exc) -> None:
        if self.pid is not None:
            os.close(self.fd)
            os.waitpid(self.pid, 0)
            self.pid = None


def _same_keys(paths: list[str], keys) -> bool:
    """Whether each file in `paths` has its recorded stat key (`keys`: three ints per
    path, a memoryview of the record). Compared as they come, without a list of them:
    half of each stat's cost is Python's stat_result, and a no-op makes thousands.
    A missing file raises."""
    want = iter(keys)
    for st in map(os.stat, paths):
        if st.st_mtime_ns != next(want) or st.st_size != next(want) or st.st_ino != next(want):
            return False
    return True


# --------------------------------------------------------------------------- record

def basis(project, st, ids: list[str], orphan_ids: list[str]) -> dict | None:
    """What the next `sync --no-mt` would find, from the sync state as this sync saved it
    (`st`): every article's recorded keys, what is left untranslated, the orphan
    templates. None when that sync would not be a no-op (an article without a complete
    record, a record for an article that is gone) or when the state on disk is not known
    to be `st` (another writer came in between)."""
    try:
        return _basis(project, st, ids, orphan_ids)
    except Exception:  # noqa: BLE001 - a state sync itself would trip over: no record
        return None


def _basis(project, st, ids: list[str], orphan_ids: list[str]) -> dict | None:
    if st.disk_key is not None:
        state = _packed([st.disk_key])
    elif not st.articles and not os.path.lexists(st.path):
        state = b""  # no state at all (nothing ever synced): recorded as absent
    else:
        return None
    if set(st.articles) != set(ids):
        return None
    langs = list(project.languages)
    fp = st.fingerprint()
    src, pot, po = [], [], {lang: [] for lang in langs}
    total = dict.fromkeys(langs, 0)
    for aid in ids:
        rec = st.articles[aid]
        if rec.get("fp") != fp:
            return None
        src.append(rec.get("src"))
        pot.append(rec.get("pot"))
        cats = rec.get("po", {})
        todo = st.untranslated(aid)
        for lang in langs:
            po[lang].append(cats.get(lang))
            total[lang] += todo.get(lang, 0)
    flat = [*src, *pot, *(k for lang in langs for k in po[lang])]
    if not all(isinstance(k, list) and len(k) == 3 and all(type(n) is int for n in k)
               for k in flat):
        return None
    return {"ids": list(ids), "langs": langs, "state": state,
            "keys": _packed(flat), "orphans": list(orphan_ids),
            # _visit adds every language of every skipped article; none without articles
            "untranslated": total if ids else {},
            "content": str(project.content_dir), "locales": str(project.locales_dir),
            "templates": str(project.locales_dir / "templates")}


def certify(project, found: dict | None, text: str) -> None:
    """Write the record (`found`: sync's `basis`; `text`: what the CLI would print for
    that no-op), or remove an old one when nothing can be vouched for. Never fails the
    command: the record only saves time."""
    try:
        rec = _record(project, found, text) if found is not None else None
        if rec is not None:
            from .workspace import write_cache

            rec["dirs"], rec["dir_keys"] = _listed(project, found)
            write_cache(project, project.cache_dir / RECORD, _pack(rec))
            return
    except Exception:  # noqa: BLE001 - no record then (below)
        pass
    try:
        os.unlink(os.path.join(str(project.root), CACHE_DIR, RECORD))
    except OSError:
        pass


def _listed(project, found: dict) -> tuple[bytes, bytes]:
    """The folders under content/ and locales/templates/ with their keys, each taken
    before the folder was listed and older than the filesystem's clock at the start of
    the listing (read from a file written then), so that any later change to a name in
    them gives them other times; (b"", b"") when they cannot be vouched for (the
    listing differs from the sync's, a folder is missing): replay then walks them."""
    import time

    from .workspace import write_cache

    clock = project.cache_dir / CLOCK
    ids = found["ids"]
    for attempt in range(10):
        write_cache(project, clock, b"%d\n" % time.time_ns())
        now = os.stat(clock).st_mtime_ns
        seen: list = []
        try:
            if articles(found["content"], seen) != ids or \
                    orphans(found["templates"], set(ids), seen) != found["orphans"]:
                return b"", b""
            if all(key[1] < now for _path, key in seen):
                return _joined(path for path, _key in seen), _packed(k for _p, k in seen)
        except (OSError, OverflowError, _Differs):
            return b"", b""
        time.sleep(0.001 * (attempt + 1))  # a folder changed in this tick: the next one
    return b"", b""


def _record(project, found: dict, text: str) -> dict[str, bytes] | None:
    import hashlib

    from .glossary import parse_glossary

    root = str(project.root)
    cfg = os.path.join(root, CONFIG_NAME)
    data = _read(cfg)
    # the bytes the configuration was validated from (its digest), not a later edit
    if os.path.islink(cfg) or data is None or \
            hashlib.sha256(data).hexdigest()[:16] != project.config.digest:
        return None
    pairs = [p for pair in project.config.resolved_paths for p in pair]
    if any(os.path.realpath(j) != r for j, r in zip(pairs[::2], pairs[1::2])):
        return None
    gpath = project.glossary_path()
    graw = _read(str(gpath))
    if graw is not None:
        if len(graw) > MAX_GLOSSARY:
            return None
        parse_glossary(graw, gpath)  # these bytes are valid (InputError: no record)
    finders = {name: _origin(name) for name in FINDERS}
    if None in finders.values():
        return None
    files = []  # config._known_language: Babel's data file for each language
    for code in project.languages:
        name = code.replace("-", "_")
        dat = os.path.join(os.path.dirname(finders["babel"]), "locale-data", f"{name}.dat")
        if not name.isidentifier() or not os.path.isfile(dat):
            return None
        files.append(dat)
    cache = os.path.join(root, CACHE_DIR)
    with os.scandir(cache) as it:
        entries = [(e.name, e.is_symlink()) for e in it]
    if os.path.islink(cache) or any(link for _n, link in entries) or \
            not any(n == ".gitignore" for n, _link in entries):
        return None
    code = {m.__file__ for name, m in list(sys.modules.items())
            if (name == "l10n" or name.startswith("l10n.")) and getattr(m, "__file__", None)}
    code = sorted(code | set(finders.values()))
    return {
        "python": sys.version.encode("utf-8"), "root": os.fsencode(root),
        "package": os.fsencode(os.path.dirname(sys.modules["l10n"].__file__)),
        "code": _joined(code), "code_keys": _packed(map(_key, code)),
        "finders": _joined(x for item in finders.items() for x in item),
        "files": _joined(files), "config": data, "paths": _joined(pairs),
        "glossary_path": os.fsencode(str(gpath)),
        "glossary": b"-" if graw is None else b"+" + graw,
        "state": found["state"], "content": os.fsencode(found["content"]),
        "templates": os.fsencode(found["templates"]), "locales": os.fsencode(found["locales"]),
        "langs": _joined(found["langs"]), "ids": _joined(found["ids"]),
        "orphans": _joined(found["orphans"]), "dirs": b"", "dir_keys": b"",
        "keys": found["keys"],
        "out": text.encode("utf-8"),
    }
