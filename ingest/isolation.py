"""Run untrusted parsing in a child process with a wall-clock and memory bound.

pypdf has had infinite loops and decompression bombs, and a Python thread cannot be cancelled:
only a process can be stopped. A fresh worker is forked per file, so a file that hangs or
explodes is killed and reported, and the next file starts clean.
"""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import resource
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from ingest.model import IngestError

_CTX = mp.get_context("fork")


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this child when the ingest process dies (e.g. SIGKILL), so no parser is orphaned."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _child(conn, fn, args, memory_bytes, parent_pid):
    _die_with_parent(parent_pid)
    try:
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        conn.send(("ok", fn(*args)))
    except IngestError as exc:
        conn.send(("ingest-error", exc.reason))
    except MemoryError:
        conn.send(("ingest-error", f"ran out of memory (over {memory_bytes // 2**20} MiB) while parsing"))
    except BaseException as exc:  # report any failure to the parent rather than die silently
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    finally:
        conn.close()


def run_bounded(path: Path, fn: Callable, args: tuple, *, timeout_s: float, memory_bytes: int):
    """``fn(*args)`` in a forked child; IngestError naming ``path`` on time-out, memory or any failure."""
    parent, child = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(target=_child, args=(child, fn, args, memory_bytes, os.getpid()), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout_s):
            raise IngestError(path, f"parsing took longer than {timeout_s:g} s (R2P_PARSE_TIMEOUT_S); stopped")
        try:
            status, payload = parent.recv()
        except EOFError:
            raise IngestError(path, f"parser process died (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if status == "ok":
        return payload
    if status == "ingest-error":
        raise IngestError(path, payload)
    raise IngestError(path, f"internal error while parsing ({payload.splitlines()[0]})")
