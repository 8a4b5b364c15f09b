"""The worker processes of a large sync: a re-merge of 100 or more articles (a template
change across the archive) is spread over processes, each owning every k-th article.

The protocol, in two phases, keeps sync's promise that bad input writes nothing:

1. every process reads and validates its share, then reports what it read (or the
   error of its first broken article) and waits;
2. only once every process has read without error does the parent say "go"; each
   process then merges and writes its articles in order and streams each result back,
   and the parent consumes them in article order (`merged`), as a one-process sync would.

`Workers` owns the processes: it is a context manager, and leaving it (normally, on an
error or on an interrupt) closes the pipes and joins every process. The work itself
(`sync._worker`) is handed in as `target`, so this module knows nothing of catalogs.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

PARALLEL_MIN = 100  # changed articles before sync spreads the work over processes


def jobs_for(n_changed: int) -> int:
    """How many processes to use: L10N_JOBS, else the cores, for large re-merges only."""
    env = os.environ.get("L10N_JOBS")
    if env and env.isdigit() and len(env) < 5:  # a 5,000-digit value is no crash
        return max(1, int(env))
    if n_changed < PARALLEL_MIN:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def send_error(conn, index: int, exc: Exception) -> None:
    """Hand an error to the parent to raise; one that does not pickle goes as its text."""
    import pickle

    try:
        pickle.dumps(exc)
    except Exception:  # noqa: BLE001
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    conn.send(("error", index, exc))


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (every spawn needs it) with a real stderr.

    It hands the tracker `sys.stderr.fileno()`; under a Textual app that is a print
    capture whose fileno() is -1, and every spawn failed with "bad value(s) in
    fds_to_keep" (textual#3593). The tracker gets /dev/null instead: its warnings have no
    place on a TUI's screen."""
    from multiprocessing import resource_tracker

    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        return  # no fileno at all: the tracker does without
    saved = sys.stderr
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


class Workers:
    """`jobs` processes running `target(conn, root, ids, langs, dry_run)` on every k-th
    article of `changed`.

    `with Workers(...) as w:` returns once every process has read and validated its
    share, raising the error of the earliest broken article if one is broken (then
    nothing has been written). `w.read` holds what each process reported having read.
    `w.go()` lets them write; `w.merged(aid)` then returns the next article's result
    (ask in the order of `changed`)."""

    def __init__(self, target: Callable, root: Path, changed: list[str], langs: list[str],
                 dry_run: bool, jobs: int, extra: tuple = ()):
        self.target = target
        self.args = (str(root), langs, dry_run)
        self.extra = extra  # more arguments for `target`, after dry_run
        self.changed = changed
        self.jobs = max(1, min(jobs, len(changed)))
        self.order = {aid: i for i, aid in enumerate(changed)}
        self.conns: list = []
        self.procs: list = []
        self.read: list = []  # what each process read, as it sent it

    def __enter__(self) -> "Workers":
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")  # safe from a threaded caller (the TUI)
        start_resource_tracker()
        root, langs, dry_run = self.args
        try:
            for k in range(self.jobs):
                mine, theirs = ctx.Pipe()
                proc = ctx.Process(target=self.target, daemon=True,
                                   args=(theirs, root, self.changed[k::self.jobs], langs, dry_run,
                                         *self.extra))
                proc.start()
                theirs.close()
                self.conns.append(mine)
                self.procs.append(proc)
            errors = []
            for k in range(self.jobs):
                msg = self._recv(k)
                if msg[0] == "error":
                    errors.append((msg[1] * self.jobs + k, msg[2]))
                else:
                    self.read.append(msg[1])
            if errors:
                raise min(errors, key=lambda e: e[0])[1]
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def go(self) -> None:
        for conn in self.conns:
            conn.send("go")

    def _recv(self, k: int):
        try:
            return self.conns[k].recv()
        except EOFError:
            raise RuntimeError(f"sync worker {k} exited with code {self.procs[k].exitcode}") from None

    def merged(self, aid: str) -> tuple:
        msg = self._recv(self.order[aid] % self.jobs)
        if msg[0] == "error":
            raise msg[2]
        _kind, got, *result = msg
        assert got == aid, (got, aid)
        return tuple(result)

    def close(self) -> None:
        """Stop listening; each process finishes the write it is in and exits."""
        for conn in self.conns:
            conn.close()
        for proc in self.procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        self.conns, self.procs = [], []
