"""A real uvicorn server for the tests, on a free loopback port, in a background thread.

The app under test is the one ``r2p serve`` runs (``create_app``); the SPARQL workers it starts
are real processes. Servers are shared per settings for the session and stopped at exit.
"""
from __future__ import annotations

import atexit
import socket
import threading
import time
from dataclasses import dataclass

import pytest
import uvicorn

from kg.service.app import create_app
from kg.settings import Settings


@dataclass
class LiveServer:
    url: str
    app: object
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


_running: dict[str, LiveServer] = {}


def start_server(settings: Settings, *, query_workers: int = 2) -> LiveServer:
    """Start (or reuse) a server for ``settings``; waits until it accepts connections."""
    key = f"{settings.model_dump_json()}|{query_workers}"
    if key in _running:
        return _running[key]
    app = create_app(settings, query_workers=query_workers)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name=f"uvicorn-{port}")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    live = _running[key] = LiveServer(f"http://127.0.0.1:{port}", app, server, thread)
    return live


@atexit.register
def _stop_all() -> None:
    for live in _running.values():
        live.stop()


@pytest.fixture(scope="session")
def corpus_server(corpus_store, corpus_settings) -> LiveServer:
    """The service over the whole ingested corpus."""
    return start_server(corpus_settings)
