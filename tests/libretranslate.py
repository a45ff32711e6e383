"""A small stand-in for a LibreTranslate server, speaking its HTTP API: POST /translate with
{"q", "source", "target", "format"} answers {"translatedText"}; a bad request answers 400 with
{"error"}. The engine's models cannot be fetched here, so it "translates" from a phrase list and
marks everything else as translated, which is enough to follow a text through the portal."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# What the stand-in knows: (source, target, text) → translation.
PHRASES = {
    ("pl", "nl", "Pracownicy śpią w szklarni."): "De arbeiders slapen in de kas.",
    ("nl", "pl", "We bellen u morgen om tien uur."): "Zadzwonimy do ciebie jutro o dziesiątej.",
}
LANGUAGES = {
    "nl", "en", "pl", "ro", "bg", "hu", "lt", "sk", "cs", "uk",
    "ru", "ar", "fa", "tr", "es", "pt", "fr", "zh", "vi", "th",
}  # fmt: skip


class LibreTranslate:
    """The server in a thread on a free local port; `requests` holds what it was asked."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                try:
                    asked = json.loads(self.rfile.read(length))
                except ValueError:
                    return self._answer(400, {"error": "Invalid request"})
                server.requests.append(asked)
                if self.path.startswith("/moved/"):
                    # A server that sends the text on elsewhere: the adapter must not follow.
                    self.send_response(307)
                    self.send_header("Location", "/translate")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if self.path != "/translate":
                    return self._answer(404, {"error": "Not found"})
                if asked.get("source") not in LANGUAGES or asked.get("target") not in LANGUAGES:
                    return self._answer(400, {"error": "Language not supported"})
                key = (asked["source"], asked["target"], asked.get("q", ""))
                text = PHRASES.get(key, f"[{asked['target']}] {asked.get('q', '')}")
                return self._answer(200, {"translatedText": text})

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        """Stop answering: the port is closed, as for an engine that is down. Safe twice."""
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.httpd.server_close()
