"""One screenshot of each page for the README, taken in real Chromium (Debian's, driven by Playwright).

    python -m benchmarks.screenshots --data data --out benchmarks/screenshots

Serves ``--data`` (an ingested store with its search index: `r2p ingest`) on a free loopback port and
visits each page as a reader would: a search with facets, the cited examples, a country, a document,
the SPARQL editor after running a query, and the search page on a phone.
"""
from __future__ import annotations

import argparse
import os
import socket
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from kg.service.app import create_app, server_config
from kg.settings import Settings

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def serve(settings: Settings) -> tuple[str, uvicorn.Server]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(server_config(create_app(settings, query_workers=1), settings, log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server


def shoot(url: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(120_000)

        def snap(name: str, target=page) -> None:
            path = out / f"{name}.png"
            target.screenshot(path=str(path), full_page=False)
            taken.append(path)

        page.goto(url + "/")
        page.fill("#q", "how can States prevent incitement to hatred?")
        page.click("button[type=submit]")
        page.wait_for_selector("#facets .facet")
        snap("search")
        page.goto(url + "/examples?region=Africa")
        snap("examples")
        page.goto(url + "/countries/KEN")
        snap("country")
        page.goto(url + "/documents/A-67-929#para-46")
        snap("document")
        page.goto(url + "/editor")
        page.wait_for_selector(".yasqe .CodeMirror")
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr")
        snap("sparql-editor")
        phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        phone.goto(url + "/countries/SOM")
        snap("country-phone", phone)
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/screenshots"))
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    url, server = serve(Settings(data_dir=args.data))
    try:
        for path in shoot(url, args.out):
            print(path)
    finally:
        server.should_exit = True


if __name__ == "__main__":
    main()
