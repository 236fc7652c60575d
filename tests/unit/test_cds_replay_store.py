"""The stores of used CDS client tokens, directly: what they keep, for how long, and how they fail.

The embedded store is a SQLite file that every worker of a server opens; two stores on one
directory here are two workers (tests/integrations/test_cds_replay_gunicorn.py runs real
ones). A store that cannot answer raises ReplayStoreError, which refuses the call: the Redis
store with nothing listening at its address shows it without a Redis.
"""

import gc
import os
import time

import pytest

from service.cds.auth import open_replay_store
from service.cds.replay import EmbeddedReplayStore, ReplayStoreError
from service.cds.replay_redis import RedisReplayStore
from tests.support.gunicorn import free_port


def later(seconds: float = 300) -> float:
    return time.time() + seconds


def test_a_token_recorded_through_one_worker_is_known_to_every_other(tmp_path):
    one, other = EmbeddedReplayStore(str(tmp_path)), EmbeddedReplayStore(str(tmp_path))

    assert one.first_use(b"token-1", later()) is True
    assert other.first_use(b"token-1", later()) is False
    assert one.first_use(b"token-1", later()) is False
    assert other.first_use(b"token-2", later()) is True


def test_a_record_is_forgotten_once_its_token_has_expired(tmp_path):
    store = EmbeddedReplayStore(str(tmp_path))
    assert store.first_use(b"expired", time.time() - 1) is True
    assert store.first_use(b"current", later()) is True

    assert store.first_use(b"expired", later()) is True  # its old record was dropped
    assert store.first_use(b"current", later()) is False


def test_a_full_store_refuses_rather_than_forget_a_token_that_still_lives(tmp_path):
    small = EmbeddedReplayStore(str(tmp_path), max_bytes=64 * 1024)
    first = (0).to_bytes(32, "big")

    with pytest.raises(ReplayStoreError, match="full"):
        for number in range(100_000):
            small.first_use(number.to_bytes(32, "big"), later())

    with pytest.raises(ReplayStoreError, match="full"):
        small.first_use(b"a new token", later())
    assert EmbeddedReplayStore(str(tmp_path)).first_use(first, later()) is False  # still known


def test_a_store_that_cannot_write_its_file_stops_the_start(tmp_path):
    (tmp_path / "a-file").write_text("not a directory")
    with pytest.raises(ReplayStoreError, match="cannot open"):
        EmbeddedReplayStore(str(tmp_path / "a-file"))


def test_a_redis_that_does_not_answer_raises_and_never_says_the_token_is_new():
    store = RedisReplayStore(f"redis://127.0.0.1:{free_port()}/0")

    with pytest.raises(ReplayStoreError, match="Redis did not answer"):
        store.first_use(b"token", later())


@pytest.mark.parametrize("setting", ["memcached://cache:11211", "https://redis.example"])
def test_a_replay_store_that_is_not_redis_is_refused_at_start(setting):
    with pytest.raises(ValueError, match="CDS_HOOKS_REPLAY_STORE"):
        open_replay_store({"CDS_HOOKS_REPLAY_STORE": setting})


def test_outside_gunicorn_an_app_gets_a_private_directory_removed_with_it():
    store = open_replay_store({})
    directory = os.path.dirname(store.path)
    assert store.first_use(b"token", later()) is True
    assert open_replay_store({}).first_use(b"token", later()) is True  # another app's own

    del store
    gc.collect()
    assert not os.path.exists(directory)
