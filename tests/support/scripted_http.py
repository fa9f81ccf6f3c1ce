"""A loopback HTTP server that answers from a script, for unit tests of the HTTP base (and as a
foreign host in the secrets tests): each request takes the next scripted answer, or `default`
once the script is spent, and is recorded with its headers."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedServer:
    def __init__(self, answers=None, default=(200, {}, {"ok": True})):
        self.answers = list(answers or [])
        self.default = default
        self.requests = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                owner._answer(self)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self):
        return self.url_on("127.0.0.1")

    def url_on(self, host):
        return "http://{}:{}".format(host, self._server.server_address[1])

    def _answer(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self._lock:
            self.requests.append({"path": handler.path, "headers": dict(handler.headers), "body": body,
                                  "method": handler.command})
            status, headers, payload = self.answers.pop(0) if self.answers else self.default
        if status == "reset":
            handler.close_connection = True
            handler.connection.close()
            return
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
