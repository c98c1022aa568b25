"""The bounded child process that reads and parses each file: time-outs and memory bombs are contained."""
from __future__ import annotations

import time

import pytest

from ingest.isolation import run_bounded, run_bounded_all
from ingest.model import IngestError


def _sleep_forever():
    time.sleep(60)


def _allocate(mb: int):
    return len(bytearray(mb * 2**20))


def _crash():
    raise KeyError("boom")


def test_a_parse_that_hangs_is_stopped_with_a_message_naming_the_file():
    with pytest.raises(IngestError) as err:
        run_bounded("corpus/slow.pdf", _sleep_forever, (), timeout_s=0.5, memory_bytes=0)
    assert str(err.value) == "corpus/slow.pdf: parsing took longer than 0.5 s (R2P_PARSE_TIMEOUT_S); stopped"


def test_a_memory_bomb_hits_the_limit_and_the_parent_survives():
    with pytest.raises(IngestError) as err:
        run_bounded("bomb.pdf", _allocate, (2048,), timeout_s=30, memory_bytes=1024 * 2**20)
    assert err.value.reason == "ran out of memory (over 1024 MiB) while parsing"
    assert run_bounded("ok.txt", _allocate, (1,), timeout_s=30, memory_bytes=1024 * 2**20) == 2**20


def test_an_unexpected_exception_is_reported_not_raised():
    with pytest.raises(IngestError) as err:
        run_bounded("x.txt", _crash, (), timeout_s=30, memory_bytes=0)
    assert err.value.reason == "internal error while parsing (KeyError: 'boom')"


def _nap_then_echo(seconds: float, value: str) -> str:
    time.sleep(seconds)
    return value


def test_results_come_back_in_the_order_of_the_files_whatever_order_the_workers_end_in():
    """The first file finishes last and one file hangs: the order is still the files' order, the hang is
    reported where it belongs, and the files after it are done."""
    jobs = [("slow.txt", (0.6, "slow")), ("fast.txt", (0.0, "fast")), ("hang.txt", (60, "never")),
            ("after.txt", (0.0, "after")), ("last.txt", (0.1, "last"))]
    results = list(run_bounded_all(jobs, _nap_then_echo, workers=2, timeout_s=2, memory_bytes=0))
    assert [path for path, _ in results] == ["slow.txt", "fast.txt", "hang.txt", "after.txt", "last.txt"]
    assert [r for _, r in results if not isinstance(r, IngestError)] == ["slow", "fast", "after", "last"]
    assert str(results[2][1]) == "hang.txt: parsing took longer than 2 s (R2P_PARSE_TIMEOUT_S); stopped"


def _finish_time(seconds: float) -> float:
    time.sleep(seconds)
    return time.monotonic()


def test_one_slow_file_does_not_idle_the_other_worker():
    """While the first file takes 3 s, the other worker goes through all ten small files behind it (their
    results wait for their turn, a few bytes each), rather than stopping after the first few."""
    jobs = [("slow.pdf", (3.0,))] + [(f"small-{i}.pdf", (0.0,)) for i in range(10)]
    results = [r for _, r in run_bounded_all(jobs, _finish_time, workers=2, timeout_s=30, memory_bytes=0)]
    assert all(small < results[0] for small in results[1:])


def test_the_parse_child_dies_with_a_killed_ingest_process(tmp_path):
    """A SIGKILLed ingest must not leave its parser child sleeping forever (seen in the kill tests)."""
    import os
    import signal
    import subprocess
    import sys

    pid_file = tmp_path / "child.pid"
    script = f"""
import os, time
from ingest.isolation import run_bounded
def work():
    open({str(pid_file)!r}, "w").write(str(os.getpid()))
    time.sleep(60)
run_bounded("x", work, (), timeout_s=60, memory_bytes=0)
"""
    parent = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the parse child outlived its killed parent")
