"""The service under load: requests/s, p50/p99 and errors for /sparql and /search, against issue 13's targets.

Starts ``r2p serve`` on a free loopback port over a data folder (default: the bundled corpus,
ingested with its search index into ``--work``), then for each endpoint runs ``--clients``
concurrent connections for ``--duration`` seconds, then one client alone (its p50 is the
single-client latency). Every request asks something never asked before: the n-th /search is an
evaluation question followed by n, the n-th /sparql ends with a comment holding n, so no answer
cache could count. Any non-2xx answer or transport error counts as an error.

The load client is ``wrk`` (Debian's package, compiled: it costs the server little of the two
cores; its CPU is printed), driven by a generated Lua script; without it, a Python asyncio client
runs instead and takes a large share of the machine (the figures are then a floor). The encoder's
own limit is measured first, in this process: the mean cost of one query encode, and so how many
searches/s the cores allow if encoding were all a search did; the ratio of /search to it holds
better than req/s on a machine others share.

    python -m benchmarks.bench_load --clients 32 --duration 30 [--data /tmp/r2p-bench/data-100000]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from search.encoder import load_encoder
from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
R2P = Path(sys.executable).parent / "r2p"
QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "tests/eval/questions.jsonl").read_text().splitlines() if line]
SMALL_SPARQL = "SELECT ?doc ?title WHERE { ?doc a r2p:Document ; dcterms:title ?title } LIMIT 10"
# endpoint -> (path, the n-th request's parameters, headers, issue 13's target in req/s or None)
ENDPOINTS = {
    "/sparql": ("/sparql", lambda n: {"query": f"{SMALL_SPARQL}\n# request {n}"},
                {"Accept": "application/sparql-results+json"}, 800),
    "/search": ("/search", lambda n: {"q": f"{QUESTIONS[n % len(QUESTIONS)]} {n}", "k": "5"}, {}, 400),
}
SINGLE_CLIENT_P50_MS = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def tree_rss_mib(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its living descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy (all but idle and iowait), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _encode_flat_out(model: str, n: int, ready, results) -> None:
    """One process of ``encoder_limit``: ``n`` never-repeated query encodes as fast as it can."""
    encoder = load_encoder(model)
    for i in range(20):
        encoder.encode_query(f"{QUESTIONS[i % len(QUESTIONS)]} warm {i}")
    ready.put(True)
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        encoder.encode_query(f"{QUESTIONS[i % len(QUESTIONS)]} {i}")
    results.put((time.perf_counter() - started, time.process_time() - cpu))


def encoder_limit(model: str, cores: int, n: int = 400) -> tuple[float, float, float]:
    """(CPU ms of one query encode alone, ``cores`` × what that allows, encodes/s of ``cores`` processes at once).

    The last is the encoder's own limit on this machine: two encodes at once on two cores each run
    slower than one alone (shared caches and memory), so it is below the first estimate.
    """
    spawn = multiprocessing.get_context("spawn")
    ready, results = spawn.Queue(), spawn.Queue()
    alone = spawn.Process(target=_encode_flat_out, args=(model, n, ready, results))
    alone.start()
    ready.get()
    cpu_ms = results.get()[1] * 1000 / n
    alone.join()
    workers = [spawn.Process(target=_encode_flat_out, args=(model, n, ready, results)) for _ in range(cores)]
    for w in workers:
        w.start()
    for _ in workers:
        ready.get()
    wall = max(results.get()[0] for _ in workers)
    for w in workers:
        w.join()
    return cpu_ms, cores * 1000 / cpu_ms, cores * n / wall


_WRK_SCRIPT = """
local prefix, suffix, headers, questions = PREFIX, SUFFIX, HEADERS, QUESTIONS
local counter, thread_id = 0, 0
function setup(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end
local function encode(s) return (s:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
function request()
  counter = counter + 1
  local n = tid * 100000000 + counter
  return wrk.format("GET", prefix .. encode(VALUE) .. suffix, headers)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def _lua(value: str) -> str:
    # A JSON string with its UTF-8 kept is a valid Lua string literal (Lua has no \\u escape; the
    # script percent-encodes the bytes); the questions file holds dashes and accented names.
    return json.dumps(value, ensure_ascii=False)


def wrk_script(endpoint: str) -> str:
    """The Lua script that makes wrk send ``endpoint``'s n-th request: the same texts as ``ENDPOINTS`` makes."""
    path, _, headers, _ = ENDPOINTS[endpoint]
    if endpoint == "/search":
        prefix, value, suffix = f"{path}?q=", f'questions[n % {len(QUESTIONS)} + 1] .. " " .. n', "&k=5"
    else:
        prefix, value, suffix = f"{path}?query=", f'{_lua(SMALL_SPARQL)} .. "\\n# request " .. n', ""
    parts = {"PREFIX": _lua(prefix), "SUFFIX": _lua(suffix), "VALUE": value,
             "HEADERS": "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in headers.items()) + "}",
             "QUESTIONS": "{" + ", ".join(_lua(q) for q in QUESTIONS) + "}"}
    script = _WRK_SCRIPT
    for name, text in parts.items():
        script = script.replace(name, text, 1)
    return script


def run_wrk(base: str, endpoint: str, clients: int, duration: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(wrk_script(endpoint))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{duration:g}s", "--timeout", "60s", "-s", f.name, base],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.strip().splitlines()[-1])
    result["client_cpu_s"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result


async def _python_load(base: str, endpoint: str, clients: int, duration: float) -> dict:
    path, params, headers, _ = ENDPOINTS[endpoint]
    latencies: list[float] = []
    errors = [0]
    counter = [0]
    deadline = time.perf_counter() + duration

    async def client(http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            counter[0] += 1
            t = time.perf_counter()
            try:
                ok = (await http.get(path, params=params(counter[0]), headers=headers)).is_success
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - t) * 1000)
            errors[0] += not ok

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    cpu = time.process_time()
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    p99 = statistics.quantiles(latencies, n=100)[-1] if len(latencies) > 1 else latencies[0]
    return {"requests": len(latencies), "seconds": time.perf_counter() - started, "p50": statistics.median(latencies),
            "p99": p99, "errors": errors[0], "client_cpu_s": time.process_time() - cpu}


def run_load(base: str, endpoint: str, clients: int, duration: float, server_pid: int, client: str) -> dict:
    server_cpu, machine = tree_cpu_s(server_pid), machine_busy_s()
    if client == "wrk":
        result = run_wrk(base, endpoint, clients, duration)
    else:
        result = asyncio.run(_python_load(base, endpoint, clients, duration))
    result["server_cpu_s"] = tree_cpu_s(server_pid) - server_cpu
    result["others_cpu_s"] = machine_busy_s() - machine - result["server_cpu_s"] - result["client_cpu_s"]
    return result


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
    parser.add_argument("--single-duration", type=float, default=10.0, help="Seconds of the one-client run.")
    parser.add_argument("--server-workers", type=int, help="R2P_SERVER_WORKERS for the server (default: its own).")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python",
                        help="Load client (default: wrk when installed).")
    parser.add_argument("--endpoints", nargs="+", default=list(ENDPOINTS), choices=list(ENDPOINTS))
    args = parser.parse_args()
    data = args.data
    if data is None:
        data = args.work / "data-corpus"
        print(f"ingesting the corpus with its search index into {data} (the first time, embedding it takes "
              f"a long while; later runs reuse it) ...", flush=True)
        subprocess.run([str(R2P), "--data", str(data), "--corpus", str(ROOT / "corpus"), "ingest"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cores = os.cpu_count() or 1
    settings = Settings()
    if "/search" in args.endpoints:
        encode_ms, naive_limit, limit = encoder_limit(settings.embedding_model, cores)
        print(f"encoder: one query encode alone costs {encode_ms:.2f} ms of CPU ({cores} cores × that: "
              f"{naive_limit:.0f}/s); {cores} processes encoding at once do {limit:.0f} encodes/s, the encoder's own limit")
    client = "wrk (compiled)" if args.client == "wrk" else "Python asyncio + httpx (wrk: `apt-get install wrk`)"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The server runs this checkout's code (the venv's `r2p` would import the package it was installed from).
    env = os.environ | {"HF_HUB_OFFLINE": "1", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if args.server_workers is not None:
        env["R2P_SERVER_WORKERS"] = str(args.server_workers)
    server = subprocess.Popen([str(R2P), "--data", str(data), "--corpus", str(ROOT / "corpus"), "serve",
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    rows = []
    try:
        wait_ready(base, server)
        print(f"server on {base}, pid {server.pid}, resident {tree_rss_mib(server.pid):.0f} MiB at start; "
              f"load client: {client}; {cores} cores")
        for endpoint in args.endpoints:
            path, params, headers, target = ENDPOINTS[endpoint]
            for _ in range(20 * cores):  # warm-up: each server process's lazy loads (model, index); a new connection each
                httpx.get(base + path, params=params(-1), headers=headers, timeout=300)
            for clients, duration in ((args.clients, args.duration), (1, args.single_duration)):
                rows.append((endpoint, clients, target, run_load(base, endpoint, clients, duration, server.pid, args.client)))
        rss = tree_rss_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    print()
    print(f"{'endpoint':<10} {'clients':>7} {'requests':>9} {'req/s':>7} {'target':>7} {'p50 ms':>7} {'p99 ms':>8} "
          f"{'errors':>6} {'server cores':>12} {'client cores':>12} {'others cores':>12} {'server CPU ms/req':>17}")
    for endpoint, clients, target, r in rows:
        rate = r["requests"] / r["seconds"]
        shown_target = f"≥{target}" if clients > 1 and target else (f"p50≤{SINGLE_CLIENT_P50_MS}" if endpoint == "/search" else "")
        print(f"{endpoint:<10} {clients:>7} {r['requests']:>9} {rate:>7.0f} {shown_target:>7} {r['p50']:>7.1f} "
              f"{r['p99']:>8.1f} {r['errors']:>6} {r['server_cpu_s'] / r['seconds']:>12.2f} "
              f"{r['client_cpu_s'] / r['seconds']:>12.2f} {max(0.0, r['others_cpu_s']) / r['seconds']:>12.2f} "
              f"{1000 * r['server_cpu_s'] / r['requests']:>17.2f}")
        if endpoint == "/search" and clients > 1:
            cpu_ms = 1000 * r["server_cpu_s"] / r["requests"]
            print(f"{'':<10} /search at {rate / naive_limit:.0%} of the encoder's limit ({cores} cores / {encode_ms:.2f} ms "
                  f"= {naive_limit:.0f}/s); the encode is {encode_ms / cpu_ms:.0%} of the server's {cpu_ms:.2f} ms of CPU "
                  f"per search; {cores} processes encoding flat out managed {limit:.0f}/s ({rate / limit:.0%})")
    print(f"server resident memory after the runs: {rss:.0f} MiB (all its processes)")


if __name__ == "__main__":
    main()
