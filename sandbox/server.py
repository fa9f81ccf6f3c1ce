"""The sandbox's HTTP core: sockets, latency, rate limits, faults, statistics and the
``/_sandbox/`` control routes (``control``), around any ``App``.

Per API request, in order: latency (fixed plus seeded jitter), rate limit, fault injection,
then ``app.handle``. Control routes skip all of that and are never counted.
"""
import gzip
import random
import socket
import struct
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import control
from .app import Request, Response
from .errors import error_response
from .faults import FaultInjector, fault_response
from .ratelimit import LIMITER_OPTIONS, make_limiter
from .stats import Stats

CORE_OPTIONS = ("rpm", "latency_ms", "jitter_ms", "faults", "gzip") + LIMITER_OPTIONS
GZIP_MIN_BYTES = 1024


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    sandbox = None

    def handle_error(self, request, client_address):
        # A client that went away between requests (killed, or reset its connection) is not a
        # server error: no traceback for it.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sandbox/1"
    # Headers and body go out in two writes; Nagle would delay the second one.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.server.sandbox._connections.add(self.connection)

    def finish(self):
        self.server.sandbox._connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def _dispatch(self):
        self.server.sandbox._serve(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def log_message(self, format, *args):
        pass


class SandboxServer:
    """Serves one ``App`` over HTTP/1.1 on a background thread.

    ``options`` takes the core's switches (``gzip``, ``burst``, ``burst_rps``,
    ``search_share``, ``ratelimit_headers``, ``retry_after``) and passes any other name to the
    app's ``set_option``. ``clock`` replaces the rate limiter's clock (tests).
    """

    def __init__(self, app, host="127.0.0.1", port=0, rpm=None, latency_ms=0, jitter_ms=0,
                 faults=None, seed=1, clock=None, **options):
        self.app = app
        self.host = host
        self.seed = seed
        self.stats_store = Stats()
        self._rng = random.Random(f"latency:{seed}")
        self._rng_lock = threading.Lock()
        self._connections = set()
        self._stopping = threading.Event()
        self._thread = None
        self._clock = clock
        self._latency = (0.0, 0.0)
        self._limiter_options = {}
        self.gzip = True
        self.rpm = rpm
        self.limiter = make_limiter(app.rate_limit_style, rpm, clock)
        self.faults = FaultInjector("", seed)
        self.set_latency(latency_ms, jitter_ms)
        self.set_faults(faults or "")
        for name, value in options.items():
            self.set_option(name, value)
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.sandbox = self
        self.port = self._httpd.server_address[1]
        if hasattr(app, "bound"):
            app.bound(self.base_url)

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def base_url(self):
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self.port}"

    def start(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever,
                                            kwargs={"poll_interval": 0.05},
                                            name=f"sandbox-{self.app.name}", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self):
        self._httpd.serve_forever(poll_interval=0.1)

    def stop(self):
        self._stopping.set()  # wakes sleeping latencies and stalls
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        for connection in list(self._connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- control -----------------------------------------------------------------------------
    def truth(self, streams=None):
        # The app renders only what is asked: the whole truth of a large scale is heavy.
        return self.app.truth(list(streams) if streams else None)

    def stats(self):
        return self.stats_store.snapshot()

    def reset_stats(self):
        self.stats_store.reset()

    def mutate(self, count, kinds=None):
        # ``kinds`` only when given: not every app takes it (Front does).
        if kinds is None:
            return self.app.mutate(int(count))
        return self.app.mutate(int(count), kinds=kinds)

    def set_faults(self, spec):
        self.faults = FaultInjector(spec or "", self.seed)

    def set_rpm(self, rpm):
        self.rpm = rpm
        self._rebuild_limiter()

    def set_latency(self, ms, jitter_ms=0):
        self._latency = (max(0.0, float(ms or 0)) / 1000.0, max(0.0, float(jitter_ms or 0)) / 1000.0)

    def set_option(self, name, value):
        """Change a core switch, or forward the option to the app (KeyError when unknown)."""
        if name == "rpm":
            self.set_rpm(value)
        elif name == "latency_ms":
            self.set_latency(value, self._latency[1] * 1000)
        elif name == "jitter_ms":
            self.set_latency(self._latency[0] * 1000, value)
        elif name == "faults":
            self.set_faults(value)
        elif name == "gzip":
            self.gzip = bool(value)
        elif name in LIMITER_OPTIONS:
            self._limiter_options[name] = value
            self._rebuild_limiter()
        else:
            self.app.set_option(name, value)

    def _rebuild_limiter(self):
        self.limiter = make_limiter(self.app.rate_limit_style, self.rpm, self._clock,
                                    **self._limiter_options)

    def options(self):
        return {"rpm": self.rpm, "latency_ms": self._latency[0] * 1000,
                "jitter_ms": self._latency[1] * 1000, "faults": self.faults.spec,
                "gzip": self.gzip, "limiter": self.limiter.describe()}

    # -- request handling --------------------------------------------------------------------
    def _serve(self, handler):
        try:
            try:
                request = self._read_request(handler)
            except ValueError:
                handler.close_connection = True
                self._write(handler, Response.json(400, {"error": "bad Content-Length"}))
                return
            if request.path.startswith(control.PREFIX):
                self._write(handler, control.answer(self, request))
            else:
                self._serve_api(handler, request)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    def _read_request(self, handler):
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        headers = {name.lower(): value for name, value in handler.headers.items()}
        host = headers.get("host") or f"{self.host}:{self.port}"
        return Request(
            method=handler.command,
            path=parts.path or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=headers,
            body=body,
            origin="http://" + host,
        )

    def _serve_api(self, handler, request):
        # Statistics are recorded before the answer goes out, so that a client that has its
        # answer can rely on the counters.
        self._sleep_latency()
        try:
            endpoint = self.app.endpoint_of(request)
        except Exception:  # noqa: BLE001 - an unroutable path is still counted
            endpoint = request.path
        style = self.app.rate_limit_style
        decision = self.limiter.check(endpoint)
        if not decision.allowed:
            self.stats_store.record(endpoint, 429, rate_limited=True,
                                    burst=decision.tier == "burst")
            self._write(handler, error_response(style, 429, decision.message, decision.headers))
            return
        fault = self.faults.pick(endpoint)
        kind = fault.kind if fault is not None else None
        if kind == "reset":
            self.stats_store.record(endpoint, "reset", fault=True)
            self._reset(handler)
            return
        if kind in (None, "stall", "truncated"):
            if kind == "stall":
                self._stopping.wait(fault.seconds)
            response = self._call_app(request)
            response.headers.update(decision.headers)
            if kind == "truncated" and response.status < 300:
                response = Response(response.status, response.body[: len(response.body) // 2],
                                    response.headers)
            else:
                # An error answer cut short is the same error to any client: not a fault.
                fault = None if kind == "truncated" else fault
                response = self._maybe_gzip(request, response)
        else:
            response = fault_response(fault, style, decision.headers)
        self.stats_store.record(endpoint, response.status, fault=fault is not None)
        self._write(handler, response)

    def _sleep_latency(self):
        fixed, jitter = self._latency
        if jitter:
            with self._rng_lock:
                fixed += self._rng.uniform(0, jitter)
        if fixed > 0:
            self._stopping.wait(fixed)

    def _call_app(self, request):
        try:
            return self.app.handle(request)
        except Exception:  # noqa: BLE001 - any app bug becomes a 500, as on a real server
            traceback.print_exc(file=sys.stderr)
            return error_response(self.app.rate_limit_style, 500, "Sandbox app error")

    def _maybe_gzip(self, request, response):
        if (not self.gzip or len(response.body) < GZIP_MIN_BYTES
                or "gzip" not in request.headers.get("accept-encoding", "")
                or any(name.lower() == "content-encoding" for name in response.headers)):
            return response
        headers = dict(response.headers)
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        return Response(response.status, gzip.compress(response.body, compresslevel=1), headers)

    @staticmethod
    def _write(handler, response):
        handler.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() != "content-length":
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(response.body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(response.body)

    @staticmethod
    def _reset(handler):
        """Drop the connection with a TCP reset and no response at all."""
        connection = handler.connection
        try:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()
        except OSError:
            pass
        handler.close_connection = True
