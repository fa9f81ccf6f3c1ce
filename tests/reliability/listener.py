"""A stranger on loopback: an HTTP listener on its own port that records every request it gets
(path and headers) and answers 401 as a foreign API would, to catch credentials sent to a host
the tap was not configured for."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append({"method": self.command, "path": self.path,
                                 "headers": dict(self.headers.items()), "body": body.decode("utf-8", "replace")})
        payload = json.dumps({"_error": {"status": 401, "title": "Unauthorized", "message": "who are you?"}}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, format, *args):
        pass


class Stranger:
    def __init__(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self._server.daemon_threads = True
        self._server.seen = []
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def seen(self):
        return list(self._server.seen)

    def origin(self, host="127.0.0.1"):
        return "http://{}:{}".format(host, self.port)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
