"""Security headers (issue 15 item 9): nosniff on every answer; on HTML pages no framing and only our own assets.

Why a middleware: HTML comes from several routers (pages, linked-data pages, the static search page),
and a header set in one place cannot be forgotten by the next page. The CSP allows scripts, styles,
images and fetches from this origin only; inline ``<script>`` never runs, so even markup that slipped
past escaping could not execute. Swagger's ``/docs`` loads its assets from a CDN (FastAPI's choice),
so it alone gets a policy naming that CDN.
"""
from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeaders:
    """ASGI middleware: add nosniff, the CSP and frame-ancestors 'none' to responses whose body is HTML."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        csp = DOCS_CSP if scope["path"] in DOCS_PATHS else CSP

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = dict(headers).get(b"content-type", b"")
                headers.append((b"x-content-type-options", b"nosniff"))
                if content_type.startswith(b"text/html"):
                    headers += [(b"content-security-policy", csp.encode()), (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
