"""A failed connection is one line naming the host and the cause, so a wrong `base_url`, a
proxy or a certificate problem shows at once; never the URL with its query."""
import socket
import struct
import threading

import pytest

from tap_engine.errors import TransportError
from tap_engine.http import HttpClient


class Client(HttpClient):
    def auth_headers(self):
        return {}


def failure(url, timeout=5):
    client = Client(url, timeout=timeout, max_tries=1)
    with pytest.raises(TransportError) as caught:
        client.send("GET", url + "/things?secret=q", "/things")
    return str(caught.value)


def listener(answer):
    """A loopback socket whose first connection gets `answer(connection)` on a thread."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve():
        connection, _ = server.accept()
        answer(connection)

    threading.Thread(target=serve, daemon=True).start()
    return server, "127.0.0.1:{}".format(server.getsockname()[1])


def test_refused():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    assert failure("http://127.0.0.1:{}".format(port)) == \
        "/things failed: ConnectionError to 127.0.0.1:{}: connection refused".format(port)


def test_name_not_resolved():
    assert failure("http://no-such-host.invalid") == \
        "/things failed: ConnectionError to no-such-host.invalid:80: host name not resolved"


def test_reset():
    def reset(connection):
        connection.recv(1024)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()

    server, where = listener(reset)
    with server:
        assert failure("http://" + where) == "/things failed: ConnectionError to {}: connection reset".format(where)


def test_no_answer_in_time():
    held = []
    server, where = listener(held.append)
    with server:
        assert failure("http://" + where, timeout=0.3) == \
            "/things failed: ReadTimeout to {}: no answer in time".format(where)


def test_tls_against_a_plain_server():
    def plain(connection):
        connection.recv(1024)
        connection.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
        connection.close()

    server, where = listener(plain)
    with server:
        assert failure("https://" + where) == "/things failed: SSLError to {}: TLS handshake failed".format(where)
