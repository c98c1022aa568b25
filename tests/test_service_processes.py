"""`r2p serve` in several processes, and the bound on searches at once in one process (issue 13, speed)."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from kg.service.index_view import IndexView


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_serve_runs_one_process_per_worker_each_on_its_own_socket_and_stops_them_all(corpus_store, corpus_settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = os.environ | {"R2P_SERVER_WORKERS": "2", "R2P_QUERY_WORKERS": "1", "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "--data", str(corpus_settings.data_dir), "serve",
                               "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=Path(__file__).parent.parent,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        processes: list[int] = []
        while time.monotonic() < deadline and len(processes) < 2:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            processes = [p for p in _children(server.pid) if "multiprocessing" in _command_line(p)
                         and "resource_tracker" not in _command_line(p)
                         and _listens(p, port)]
            time.sleep(0.3)
        assert len(processes) == 2, "two server processes, each listening on the port"
        answers = [httpx.get(f"http://127.0.0.1:{port}/health", timeout=30) for _ in range(10)]
        assert all(a.status_code == 200 and a.json()["status"] == "ok" for a in answers)
        everything = [server.pid, *processes, *(c for p in processes for c in _children(p))]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    time.sleep(1)
    assert not [p for p in everything if Path(f"/proc/{p}").exists() and "zombie" not in _state(p)], \
        "SIGTERM ends the server processes and their query workers"


def _state(pid: int) -> str:
    try:
        return next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:")).lower()
    except (OSError, StopIteration):
        return "zombie"


def _listens(pid: int, port: int) -> bool:
    """Whether ``pid`` holds a socket listening on ``port`` (from /proc/net/tcp and its file descriptors)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
            inodes.add(fields[9])
    try:
        links = [os.readlink(f) for f in Path(f"/proc/{pid}/fd").iterdir()]
    except OSError:
        return False
    return any(link == f"socket:[{inode}]" for link in links for inode in inodes)


@pytest.mark.parametrize("concurrency", [1, 2])
def test_searches_at_once_in_one_process_never_exceed_its_bound(tmp_path, concurrency):
    running, most = [0], [0]
    lock = threading.Lock()

    def work(_searcher):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return True

    (tmp_path / "build.json").write_text("{}")
    view = IndexView(tmp_path, lambda: object(), concurrency=concurrency)

    async def many():
        return await asyncio.gather(*(view.run(work) for _ in range(8)))

    assert asyncio.run(many()) == [True] * 8
    assert most[0] == concurrency


def test_a_search_thread_runs_faiss_and_every_openblas_on_one_thread(tmp_path):
    """In a child process whose environment asks for two threads of each, as a fresh server's would allow."""
    script = """
import asyncio, faiss
from threadpoolctl import threadpool_info
from kg.service.index_view import IndexView
import pathlib, sys
folder = pathlib.Path(sys.argv[1]); (folder / "build.json").write_text("{}")
view = IndexView(folder, lambda: object())
seen = asyncio.run(view.run(lambda _: (faiss.omp_get_max_threads(),
                                       sorted({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}))))
print(seen[0], seen[1])
"""
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True,
                         env=os.environ | {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"})
    assert out.stdout.split() == ["1", "[1]"]
