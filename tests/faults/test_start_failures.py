"""A start that cannot succeed fails cleanly: one line naming the path and the cause, exit 1,
nothing left behind.

Reported against ``make run``: a missing rules folder was named only as ``meta.yaml``; an
unreadable rules file ended in a raw ``PermissionError`` traceback (in each worker, then in
gunicorn's master as it halted); and every failed start left its metrics directory in
``/dev/shm``. The knowledge base is now checked in the master before any worker is forked
(gunicorn.conf.py's on_starting), and the directory is removed however the master exits.
"""

import os
import re
import shutil
import socket

import pytest

from tests.support.cds_tokens import CdsClient, clients_file
from tests.support.gunicorn import failed_start, log_entries
from tests.support.rules_copies import RULES

pytestmark = pytest.mark.server

#: gunicorn's exit status for a configuration error (and the service's, for a bad setting).
CONFIG_ERROR = 1
METRICS_DIR_LINE = re.compile(r"Metrics of the workers in ([^\s\"]+)")


def errors_of(output: str) -> list[str]:
    return [entry["message"] for entry in log_entries(output) if entry["level"] == "ERROR"]


def drop_file_permission_override() -> list[str]:
    """What makes a file's permissions apply to this user: root reads any file unless its
    process lacks the capabilities to override them."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_a_missing_rules_folder_is_one_line_with_its_path_and_exit_1(tmp_path):
    missing = tmp_path / "no-such-rules"
    status, output = failed_start(tmp_path / "gunicorn.log",
                                  extra_env={"RULES_DIR": str(missing)})
    assert status == CONFIG_ERROR
    assert errors_of(output) == [
        f"Cannot start: {missing}: cannot read the rules folder (No such file or directory)"]
    assert "Traceback" not in output and "Booting worker" not in output
    assert not METRICS_DIR_LINE.search(output), "checked before a metrics directory is made"


def test_an_unreadable_rules_file_is_one_line_with_its_path_not_a_traceback(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "causes.yaml").chmod(0)
    status, output = failed_start(tmp_path / "gunicorn.log", extra_env={"RULES_DIR": str(rules)},
                                  prefix=drop_file_permission_override())
    assert status == CONFIG_ERROR
    assert errors_of(output) == [
        f"Cannot start: {rules / 'causes.yaml'}: cannot read the file (Permission denied)"]
    assert "Traceback" not in output and "PermissionError" not in output


def test_a_start_that_fails_after_making_its_metrics_directory_removes_it(tmp_path):
    # The port is taken: gunicorn tries it for 5 s, then exits without its on_exit hook.
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104  # gunicorn binds every address
        taken.listen()
        status, output = failed_start(tmp_path / "gunicorn.log",
                                      extra_env={"PORT": str(taken.getsockname()[1])})
    assert status == CONFIG_ERROR
    (path,) = METRICS_DIR_LINE.findall(output)
    assert not os.path.exists(path), f"{path} was left behind"


@pytest.mark.parametrize(("settings", "cause"), [
    ({"PUBLIC_BASE_URL": "http://advice.example.org"}, "PUBLIC_BASE_URL must use https"),
    ({"CDS_HOOKS_CLIENTS": "{clients}", "PUBLIC_BASE_URL": ""}, "set PUBLIC_BASE_URL"),
    ({"CDS_HOOKS_CLIENTS": "{missing}"}, "cannot read the file (No such file or directory)"),
    ({"CDS_HOOKS_CLIENTS": "{clients}", "CDS_HOOKS_REPLAY_STORE": "memcached://x"},
     "CDS_HOOKS_REPLAY_STORE must be"),
], ids=["http-public-url", "clients-without-public-url", "no-clients-file", "replay-store"])
def test_a_setting_no_worker_could_start_with_is_one_line_and_exit_1(tmp_path, settings, cause):
    ehr = CdsClient("https://ehr.example.org")
    files = {"clients": clients_file(tmp_path / "clients.json",
                                     {"iss": ehr.iss, "jwks": ehr.jwks()}),
             "missing": str(tmp_path / "missing.json")}
    env = {name: value.format(**files) for name, value in settings.items()}

    status, output = failed_start(tmp_path / "gunicorn.log", extra_env=env)

    assert status == CONFIG_ERROR
    (error,) = errors_of(output)
    assert error.startswith("Cannot start: ") and cause in error, error
    assert "Traceback" not in output and "Booting worker" not in output
    (path,) = METRICS_DIR_LINE.findall(output)
    assert not os.path.exists(path), f"{path} was left behind"
