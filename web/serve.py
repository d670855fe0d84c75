"""Serves the demo consultancy page with the chat widget (standard library only).

    python web/serve.py --host 127.0.0.1 --port 8080 --rasa-url http://localhost:5005

Routes: `/` (the demo page), `/demo/...` (the demo's own files), `/widget/...` (the widget's script and
stylesheet) and `/vendor/socket.io.min.js` (from `npm install --prefix web`), and like every server
`/health/live`, `/health/ready` (the Rasa server answers) and `/metrics` (launch/health.py,
launch/metrics.py). Anything else is a 404, and there is no directory listing.

The Rasa URL reaches the page without inline script: HTML pages are templated when served
(`{{RASA_URL}}`, HTML-escaped), typically into the widget script tag's `data-server` attribute. Every
response carries a Content-Security-Policy that allows scripts from this server only and connections
to this server and Rasa, so the widget must not need inline code, and an injected script would not run.
"""

from __future__ import annotations

import argparse
import html
import mimetypes
import signal
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import unquote, urlsplit

WEB = Path(__file__).resolve().parent
if str(WEB.parent) not in sys.path:  # `python web/serve.py` puts web/, not the repository, on the path
    sys.path.insert(0, str(WEB.parent))

from launch import health  # noqa: E402 - standard library only at import, like this server

NODE_MODULES = WEB / "node_modules"
# URL prefix -> folder it serves. Only files inside these folders can ever be read.
FOLDERS: dict[str, Path] = {"/demo/": WEB / "demo", "/widget/": WEB / "widget"}
VENDOR: dict[str, Path] = {
    "/vendor/socket.io.min.js": NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js",
    "/vendor/socket.io.min.js.map": NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js.map",
}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".map": "application/json; charset=utf-8",
}


def rasa_origins(rasa_url: str) -> tuple[str, str]:
    """The HTTP and WebSocket origins of the Rasa server, for the page's `connect-src`."""
    parts = urlsplit(rasa_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc:
        raise ValueError(f"--rasa-url must be an http(s) URL such as http://localhost:5005, not {rasa_url!r}")
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc}", f"{ws_scheme}://{parts.netloc}"


def security_headers(rasa_url: str) -> dict[str, str]:
    """Headers sent with every response; the CSP is why the widget has no inline script or style."""
    http_origin, ws_origin = rasa_origins(rasa_url)
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {http_origin} {ws_origin}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cache-Control": "no-cache",
    }


def resolve(path: str) -> Path | None:
    """The file a URL path names, or None: never a folder, never outside the served folders."""
    if path in ("/", "/index.html"):
        return WEB / "demo" / "index.html"
    if path in VENDOR:
        return VENDOR[path] if VENDOR[path].is_file() else None
    for prefix, folder in FOLDERS.items():
        if path.startswith(prefix):
            candidate = (folder / path[len(prefix) :]).resolve()
            if candidate.is_file() and candidate.is_relative_to(folder.resolve()):
                return candidate
    return None


class Handler(BaseHTTPRequestHandler):
    """GET/HEAD of the known files; the Rasa URL is set on the server by `make_server`."""

    server_version = "impplus-web"
    rasa_url = "http://localhost:5005"

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path in (health.LIVE_PATH, health.READY_PATH, health.METRICS_PATH):
            self._health(path, with_body)
            return
        file = resolve(path) if "\x00" not in path else None
        if file is None:
            self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", with_body)
            return
        body = file.read_bytes()
        if file.suffix == ".html":
            escaped = html.escape(self.rasa_url, quote=True)
            body = body.decode("utf-8").replace("{{RASA_URL}}", escaped).encode("utf-8")
        guessed = mimetypes.guess_type(file.name)[0]
        content_type = TYPES.get(file.suffix) or guessed or "application/octet-stream"
        self._send(HTTPStatus.OK, body, content_type, with_body)

    def _health(self, path: str, with_body: bool) -> None:
        """Live; ready when the Rasa server answers; metrics by the token rule of launch/metrics.py."""
        if path == health.LIVE_PATH:
            self._send(HTTPStatus.OK, health.LIVE_BODY, health.JSON_TYPE, with_body)
        elif path == health.READY_PATH:
            outcome = health.check_now(health.web_checks(self.rasa_url))
            self._send(HTTPStatus(outcome.status), outcome.body(), health.JSON_TYPE, with_body)
        else:
            from launch.metrics import metrics_answer  # prometheus_client: only when metrics are asked for

            answer = metrics_answer(str(self.server.server_address[0]), self.headers.get("Authorization"))
            self._send(HTTPStatus(answer.status), answer.body, answer.content_type, with_body, answer.headers)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, with_body: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**security_headers(self.rasa_url), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        sys.stderr.write(f"web: {self.address_string()} {format % args}\n")


def make_server(host: str, port: int, rasa_url: str) -> ThreadingHTTPServer:
    """A threaded server for the demo page; the Rasa URL is checked before anything is served."""
    rasa_origins(rasa_url)
    handler = type("ConfiguredHandler", (Handler,), {"rasa_url": rasa_url.rstrip("/")})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True  # open keep-alive connections must not delay a stop
    return server


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM ends serve_forever like Ctrl-C does, so the socket is closed before exiting."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://localhost:5005", help="where the widget connects")
    args = parser.parse_args(argv)
    try:
        server = make_server(args.host, args.port, args.rasa_url)
    except ValueError as error:
        parser.error(str(error))
    if not VENDOR["/vendor/socket.io.min.js"].is_file():
        print("web: socket.io-client is missing: run 'npm install --prefix web'", file=sys.stderr)
    signal.signal(signal.SIGTERM, _stop)
    print(f"web: demo page on http://{args.host}:{args.port}/ (Rasa: {args.rasa_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
