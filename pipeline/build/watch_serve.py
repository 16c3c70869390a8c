"""Serve the output folder on localhost while watching, and reload an open brief when rebuilt.

The published files hold no reload code: an HTML file is served with a small script added to the
response only, which listens on an event stream the server adds (``/__make-brief/events``,
server-sent events). After each build the stream names the files it wrote; a page among them
(or the index, after any build) reloads itself.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["EVENTS_PATH", "RELOAD_SCRIPT", "Preview", "Rebuilds"]

#: The event stream the injected script listens on; no published file has this path.
EVENTS_PATH = "/__make-brief/events"
#: Seconds between keep-alive comments on an idle event stream.
KEEP_ALIVE = 15.0

#: Added before ``</body>`` of every HTML file served, never written to disk.
RELOAD_SCRIPT = (
    "<script>(()=>{const here=decodeURIComponent(location.pathname).replace(/^\\/+/,'')"
    "||'index.html';const s=new EventSource('" + EVENTS_PATH + "');"
    "s.onmessage=e=>{const b=JSON.parse(e.data);"
    "if(b.includes(here)||here==='index.html'){location.reload();}};})();</script>"
)


class Rebuilds:
    """The builds so far, for the event streams: a counter and what each build wrote."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._count = 0
        self._written: tuple[str, ...] = ()
        self.closed = False

    def announce(self, written: Iterable[str]) -> None:
        """A build finished, having written ``written`` (paths inside the output folder)."""
        with self._changed:
            self._count += 1
            self._written = tuple(written)
            self._changed.notify_all()

    def close(self) -> None:
        """End every event stream."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def count(self) -> int:
        with self._changed:
            return self._count

    def wait(self, seen: int, timeout: float) -> tuple[int, tuple[str, ...] | None]:
        """Wait for a build after build number ``seen``: its number and what it wrote, or
        ``seen`` and None after ``timeout`` seconds or once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._count != seen or self.closed, timeout)
            if self._count == seen or self.closed:
                return seen, None
            return self._count, self._written


class _Handler(SimpleHTTPRequestHandler):
    """Files of the output folder; HTML with the reload script; the event stream."""

    rebuilds: Rebuilds

    def __init__(self, *args: Any, rebuilds: Rebuilds, **kwargs: Any) -> None:
        self.rebuilds = rebuilds
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the watch reports builds, not requests."""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._events()
            return
        local = Path(self.translate_path(self.path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            self._html(local)
            return
        super().do_GET()  # other files, and a folder's redirect to its URL with a slash

    def end_headers(self) -> None:
        # A rebuilt brief must be fetched again on reload, not taken from the browser's cache.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _html(self, local: Path) -> None:
        data = local.read_bytes()
        at = data.rfind(b"</body>")
        script = RELOAD_SCRIPT.encode()
        data = data[:at] + script + data[at:] if at >= 0 else data + script
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = self.rebuilds.count()
        try:
            while not self.rebuilds.closed:
                seen, written = self.rebuilds.wait(seen, KEEP_ALIVE)
                message = ": idle\n\n" if written is None else f"data: {json.dumps(written)}\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class Preview:
    """An HTTP server on 127.0.0.1 over the output folder, in a background thread."""

    def __init__(self, out_dir: Path, port: int = 8000) -> None:
        self.rebuilds = Rebuilds()
        handler = partial(_Handler, directory=str(out_dir), rebuilds=self.rebuilds)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def __enter__(self) -> Preview:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.rebuilds.close()
        self.server.shutdown()
        self.server.server_close()
