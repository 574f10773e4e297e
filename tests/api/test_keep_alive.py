"""An idle keep-alive connection outlives the client's own keep-alive expiry."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

from agent_console.backend_process import EmbeddedBackend

CLIENT_KEEPALIVE_S = 5.0  # httpx.Limits' default keepalive_expiry, the console's


def get_health(sock: socket.socket, host: str) -> bytes:
    sock.sendall(f"GET /api/v1/health HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break  # closed by the server
        data += chunk
    return data


def test_the_server_keeps_an_idle_connection_longer_than_the_console_does(
    server: EmbeddedBackend,
) -> None:
    """With equal 5 s timers the console reused connections the server was closing
    (RemoteProtocolError in the load benchmark): the server must wait longer."""
    url = urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        assert get_health(sock, url.netloc).startswith(b"HTTP/1.1 200")
        time.sleep(CLIENT_KEEPALIVE_S + 0.5)
        assert get_health(sock, url.netloc).startswith(b"HTTP/1.1 200")
