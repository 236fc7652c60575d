"""The fold of an exited worker's metrics files, in the gunicorn master (gunicorn.conf.py's
child_exit): its counts stay in the totals, in one archive file per type.

gunicorn replaces a worker every ~10,000 requests (max_requests), and each one leaves two
files: kept as they are, they would pile up in /dev/shm (64 MB in a container by default) and
every scrape would read them all. The archive is written through
:class:`~service.web.metrics_files.ReservedMmapedDict`: on a full file system a fold is an
``OSError`` (the master logs it and the worker's files stay, still counted), never the
``SIGBUS`` that killed the master.
"""

import contextlib
import fcntl
import os

from prometheus_client import multiprocess
from prometheus_client.mmap_dict import MmapedDict

from service.web.metrics_files import LOCK_FILE, ReservedMmapedDict


def fold_exited_worker(directory: str, pid: int) -> None:
    """Drop the exited worker ``pid``'s live gauge; fold its counters into the archive files.

    An ``OSError`` (a full file system) leaves its files as they are, which still count: only
    the fold is lost, and nothing of a fold cut short stays behind.
    """
    multiprocess.mark_process_dead(pid, directory)
    for kind in ("counter", "histogram"):
        dead = os.path.join(directory, f"{kind}_{pid}.db")
        if not os.path.exists(dead):
            continue
        archive = os.path.join(directory, f"{kind}_archive.db")
        new = archive + ".new"
        with contextlib.suppress(FileNotFoundError):
            os.remove(new)  # an earlier fold's, cut short: its values must not be added again
        totals: dict[str, float] = {}
        for path in (archive, dead):
            if os.path.exists(path):
                for key, value, _, _ in MmapedDict.read_all_values_from_file(path):
                    totals[key] = totals.get(key, 0.0) + value
        try:
            merged = ReservedMmapedDict(new)
            try:
                for key, value in totals.items():
                    merged.write_value(key, value, 0.0)
            finally:
                merged.close()
        except OSError:
            with contextlib.suppress(OSError):
                os.remove(new)
            raise
        with open(os.path.join(directory, LOCK_FILE), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # no scrape sees the worker's counts twice
            os.replace(new, archive)
            os.remove(dead)
