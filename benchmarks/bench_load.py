"""The service under load: requests/s, p50/p99 and errors for /sparql, /examples and /search.

Starts ``r2p serve`` on a free loopback port over a data folder (default: the bundled corpus,
ingested with its search index into ``--work``), then for each endpoint runs ``--clients``
concurrent clients (asyncio + httpx, one process) for ``--duration`` seconds. Any non-200 answer
or transport error counts as an error. The server's resident memory (its process and the query
workers it forks) is read from /proc at the end. The client shares the machine with the server,
so on a small machine it takes CPU from it: the figures are a floor.

    python -m benchmarks.bench_load --clients 32 --duration 30 [--data /tmp/r2p-bench/data-100000]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
R2P = Path(sys.executable).parent / "r2p"
SMALL_SPARQL = "SELECT ?doc ?title WHERE { ?doc a r2p:Document ; dcterms:title ?title } LIMIT 10"
ENDPOINTS = {
    "/sparql": ("/sparql", {"query": SMALL_SPARQL}, {"Accept": "application/sparql-results+json"}),
    "/examples": ("/examples", {"country": "KEN", "format": "json"}, {}),
    "/search": ("/search", {"q": "early warning of atrocity crimes", "k": "5"}, {}),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


async def load(base: str, endpoint: str, clients: int, duration: float) -> tuple[list[float], int, int]:
    path, params, headers = ENDPOINTS[endpoint]
    latencies: list[float] = []
    errors = [0]
    first_error: list[str] = []
    deadline = time.perf_counter() + duration

    async def client(http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            try:
                response = await http.get(path, params=params, headers=headers)
                ok = response.status_code == 200
                if not ok and not first_error:
                    first_error.append(f"HTTP {response.status_code}: {response.text[:200]}")
            except httpx.HTTPError as exc:
                ok = False
                if not first_error:
                    first_error.append(f"{type(exc).__name__}: {exc}")
            latencies.append((time.perf_counter() - t) * 1000)
            errors[0] += not ok

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    if first_error:
        print(f"  first error on {endpoint}: {first_error[0]}")
    return latencies, errors[0], len(latencies)


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"r2p serve exited with {proc.returncode}")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"r2p serve did not answer /health within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="Data folder with store/ and index/ (default: ingest the corpus).")
    parser.add_argument("--work", type=Path, default=Path("/tmp/r2p-bench"))
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--endpoints", nargs="+", default=list(ENDPOINTS), choices=list(ENDPOINTS))
    args = parser.parse_args()
    data = args.data
    if data is None:
        data = args.work / "data-corpus"
        print(f"ingesting the corpus with its search index into {data} ...", flush=True)
        subprocess.run([str(R2P), "--data", str(data), "--corpus", str(ROOT / "corpus"), "ingest"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(R2P), "--data", str(data), "--corpus", str(ROOT / "corpus"), "serve",
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=os.environ | {"HF_HUB_OFFLINE": "1"})
    try:
        wait_ready(base, server)
        print(f"server on {base}, pid {server.pid}, resident {tree_rss_mib(server.pid):.0f} MiB at start")
        print(f"{'endpoint':<10} {'clients':>7} {'seconds':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for endpoint in args.endpoints:
            path, params, headers = ENDPOINTS[endpoint]
            httpx.get(base + path, params=params, headers=headers, timeout=300)  # warm-up: lazy loads (model, index)
            started = time.perf_counter()
            latencies, errors, count = asyncio.run(load(base, endpoint, args.clients, args.duration))
            seconds = time.perf_counter() - started
            p99 = statistics.quantiles(latencies, n=100)[-1] if len(latencies) > 1 else latencies[0]
            print(f"{endpoint:<10} {args.clients:>7} {seconds:>7.1f} {count:>9} {count / seconds:>8.0f} "
                  f"{statistics.median(latencies):>8.1f} {p99:>8.1f} {errors:>7}", flush=True)
        print(f"server resident memory after the runs: {tree_rss_mib(server.pid):.0f} MiB (server and its workers)")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
