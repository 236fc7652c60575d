"""Which CDS client tokens were used already: one record per token, seen by every worker.

CDS Hooks 2.0 makes ``jti`` "A nonce string value that uniquely identifies this authentication
JWT (used to protect against replay attacks)", and its best practices keep it in "short-term
storage of JWTs previously processed" for "the maximum duration of all JWTs processed". A token
is accepted only if its record could be written now, and the record lasts until the token
expires (``exp`` plus the clock skew the check allows), whichever worker or replica sees the
token again, and across worker recycles.

* **Embedded** (the default): a SQLite file in ``CDS_HOOKS_REPLAY_DIR``, the directory
  gunicorn's master makes before it forks (gunicorn.conf.py, in ``/dev/shm``: RAM, writable
  under a read-only root file system). Every worker of the server opens it, and a recycled
  worker finds what its predecessor wrote. SQLite (the standard library's) because the workers
  are processes: its file locks make "write this id unless present" one atomic step between
  them. It holds at most ``MAX_STORE_BYTES`` (and up to some 4 MiB of write-ahead log). One
  server only: each replica, each gunicorn, has its own file.
* **Redis** (``CDS_HOOKS_REPLAY_STORE=redis://...``), shared by every replica (replay_redis.py).

A store that cannot answer, or is full, raises :class:`ReplayStoreError`, which refuses the call
(503): a token is never accepted without its record.
"""

import os
import sqlite3
import tempfile
import threading
import time
from typing import Protocol

#: About 100 bytes a token (key, expiry, index): it fills at some 160,000 unexpired tokens.
MAX_STORE_BYTES = 16 * 1024 * 1024
#: How long a worker waits for another's write before the call is refused (blocking the worker
#: meanwhile); a write takes some 40 µs, so only a stuck process makes anyone wait that long.
BUSY_TIMEOUT_S = 2.0
FILE_NAME = "cds-replay.sqlite3"
#: The environment variable that names the embedded store's directory, in every worker.
DIR_ENV = "CDS_HOOKS_REPLAY_DIR"


class ReplayStoreError(Exception):
    """The store could not record a token; the message says why (never a token or an id)."""


class ReplayStore(Protocol):
    def first_use(self, key: bytes, expires_at: float) -> bool:
        """Record ``key`` until ``expires_at`` (epoch seconds); False if it is recorded already."""


class EmbeddedReplayStore:
    """The records of one server, in a SQLite file that all its workers open."""

    def __init__(self, directory: str, max_bytes: int = MAX_STORE_BYTES):
        self.path = os.path.join(directory, FILE_NAME)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()  # one connection per process, shared by its greenlets
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        try:  # an unwritable directory stops the start, not the first call
            with self._lock:
                self._connection()
        except sqlite3.Error as error:
            raise ReplayStoreError(f"the CDS replay store cannot open {self.path}: {error}") \
                from None

    def first_use(self, key: bytes, expires_at: float) -> bool:
        try:
            with self._lock:
                db = self._connection()
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.execute("DELETE FROM seen WHERE expires <= ?", (time.time(),))
                    if self._used_bytes(db) > self.max_bytes:
                        raise ReplayStoreError("it is full: too many unexpired tokens")
                    inserted = db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)",
                                          (key, expires_at)).rowcount == 1
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
                return inserted
        except sqlite3.Error as error:
            raise ReplayStoreError(f"its file could not be used ({type(error).__name__})") \
                from None

    def _connection(self) -> sqlite3.Connection:
        # Never a connection made before a fork: each process opens its own.
        if self._db is None or self._pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                 check_same_thread=False)
            _prepare(db)
            self._db, self._pid = db, os.getpid()
        return self._db

    @staticmethod
    def _used_bytes(db: sqlite3.Connection) -> int:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        used: int = (pages - free) * db.execute("PRAGMA page_size").fetchone()[0]
        return used



def prepare(directory: str) -> None:
    """Make the store's file ready (write-ahead log, table) before any worker opens it: two
    workers that both found a new file and switched it to WAL at once failed with "database is
    locked" at boot, and SQLite does not wait for that lock. gunicorn's master calls this
    before it forks; the workers then only read that the file is ready."""
    db = sqlite3.connect(os.path.join(directory, FILE_NAME), isolation_level=None)
    try:
        _prepare(db)
    finally:
        db.close()


def _prepare(db: sqlite3.Connection) -> None:
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # in RAM anyway; safe against a killed worker
    db.execute("CREATE TABLE IF NOT EXISTS seen "
               "(key BLOB PRIMARY KEY, expires REAL NOT NULL) WITHOUT ROWID")
    db.execute("CREATE INDEX IF NOT EXISTS seen_by_expiry ON seen (expires)")


def make_directory(ram: str | None) -> tuple[str, bool]:
    """The embedded store's directory, ready, named in every process's environment before a
    worker is forked: the configured one (kept: its records expire with their tokens), or a fresh
    one in ``ram``. Whether it was made here, so the server removes it at exit."""
    path = os.environ.get(DIR_ENV, "").strip()
    made = not path
    if made:
        path = tempfile.mkdtemp(prefix="leg-cramps-replay-", dir=ram)
    else:
        os.makedirs(path, mode=0o700, exist_ok=True)
    prepare(path)
    os.environ[DIR_ENV] = path
    return path, made
