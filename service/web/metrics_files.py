"""The files of prometheus_client's multiprocess mode, made safe to write on a full file system.

prometheus_client keeps each process's values in a memory-mapped file that it makes and grows
with ``truncate``: a sparse file, whose pages the file system provides only when they are first
written. On a full file system (a small tmpfs for ``PROMETHEUS_MULTIPROC_DIR``, or ``/dev/shm``
filled by something else) that first write is a ``SIGBUS``: a worker died of it, then the
gunicorn master, folding that worker's counters, and nothing restarted. Here every page of a
file is reserved (``posix_fallocate``) before it is mapped, so a full file system is an
``OSError`` the caller can handle: the worker's metrics degrade (service/web/metrics.py), the
master leaves an exited worker's files as they are (:func:`fold_exited_worker`).

A process whose metrics degraded leaves :data:`DEGRADED_MARK`, an empty file (an inode, no
page), in the directory, so that every worker's ``/readyz`` and scrape can say the counts are
incomplete until the server restarts.
"""

import contextlib
import functools
import glob
import logging
import os
import tempfile
from collections.abc import Callable
from typing import ParamSpec

from prometheus_client.mmap_dict import _INITIAL_MMAP_SIZE, MmapedDict

#: Left in the metrics directory by a process that could not write its metrics files.
DEGRADED_MARK = "metrics-degraded"
#: Held shared by a scrape, exclusively by the fold of an exited worker's files.
LOCK_FILE = "metrics.lock"
#: The environment variable that names the directory, in every process of the server.
DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: The files of a server's metrics, and its mark of metrics that could not be written: in a
#: configured directory at start, they are the previous server's, not this one's.
SERVER_FILES = ("counter_*.db*", "gauge_*.db*", "histogram_*.db*", "summary_*.db*",
                DEGRADED_MARK)
#: What one entry of a file can take beyond its key: its length (4 bytes), at most 8 bytes of
#: padding and two doubles (prometheus_client's layout).
_ENTRY_OVERHEAD = 28


class ReservedMmapedDict(MmapedDict):
    """prometheus_client's ``MmapedDict``, whose file's pages are all reserved before it maps
    them: where the library's first write to a page could be a ``SIGBUS``, this raises
    ``OSError`` before anything is written."""

    def __init__(self, filename: str, read_mode: bool = False) -> None:
        # The library maps a file at the size it finds, or makes a new one _INITIAL_MMAP_SIZE
        # long (its private constant, read from it so that the two stay equal).
        if not read_mode:
            _reserve(filename, max(_INITIAL_MMAP_SIZE, _size(filename)))
        super().__init__(filename, read_mode)

    def _init_value(self, key: str) -> None:
        needed, capacity = self._used + len(key.encode("utf-8")) + _ENTRY_OVERHEAD, self._capacity
        while needed > capacity:
            capacity *= 2  # as the library grows it
        if capacity > self._capacity:
            _reserve(self._fname, capacity)
        super()._init_value(key)


def _size(filename: str) -> int:
    try:
        return os.stat(filename).st_size
    except FileNotFoundError:
        return 0


def _reserve(filename: str, size: int) -> None:
    """Make ``filename`` at least ``size`` bytes long, every page of them allocated; or raise
    ``OSError`` and leave no empty file, which a scrape could not read."""
    fd = os.open(filename, os.O_RDWR | os.O_CREAT, 0o644)  # the library's own is O_APPEND
    try:
        os.posix_fallocate(fd, 0, size)
    except OSError:
        if os.fstat(fd).st_size == 0:
            os.unlink(filename)
        raise
    finally:
        os.close(fd)


log = logging.getLogger(__name__)
_degraded_because: list[str] = []  # why this process stopped recording, once it has


def degrade(error: OSError) -> None:
    """Stop recording in this process, say why once, and leave the mark for the others."""
    if _degraded_because:
        return
    _degraded_because.append(error.strerror or type(error).__name__)
    directory = os.environ.get(DIR_ENV, "")
    log.error("Metrics degraded: cannot write the metrics files in %s (%s); this process "
              "serves on and records no more metrics", directory, _degraded_because[0])
    if directory:
        with contextlib.suppress(OSError):  # the log line and this process's state say it too
            os.close(os.open(os.path.join(directory, DEGRADED_MARK), os.O_WRONLY | os.O_CREAT,
                             0o644))


def degraded() -> bool:
    """Whether a process of this server could not write its metrics since the server started."""
    directory = os.environ.get(DIR_ENV, "")
    return bool(_degraded_because) or bool(
        directory and os.path.exists(os.path.join(directory, DEGRADED_MARK)))


P = ParamSpec("P")


def recorded(observe: Callable[P, None]) -> Callable[P, None]:
    """``observe`` as long as this process records metrics; a file it cannot write stops that."""

    @functools.wraps(observe)
    def recording(*args: P.args, **kwargs: P.kwargs) -> None:
        if not _degraded_because:
            try:
                observe(*args, **kwargs)
            except OSError as error:
                degrade(error)

    return recording


def make_directory(ram: str | None) -> tuple[str, bool]:
    """The directory of this server's metrics, named in every process's environment before a
    worker is forked: the configured one, emptied of the previous server's files (an emptyDir in
    Kubernetes outlives a restarted container), or a fresh one in ``ram`` (``/dev/shm``, else
    the temporary directory). Whether it was made here, so the server removes it at exit."""
    path = os.environ.get(DIR_ENV, "").strip()
    made = not path
    if made:
        path = tempfile.mkdtemp(prefix="leg-cramps-metrics-", dir=ram)
    else:
        os.makedirs(path, exist_ok=True)
        for pattern in SERVER_FILES:
            for stale in glob.glob(os.path.join(path, pattern)):
                os.remove(stale)
    os.environ[DIR_ENV] = path
    return path, made
