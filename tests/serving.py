"""Starting `jurisdex serve` in tests: a free port, and waiting until the server accepts
connections. Standard library only: tests/wheel_smoke.py imports it in the wheel's environment."""

from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(port: int, server: subprocess.Popen, seconds: float = 20) -> None:
    """Returns once 127.0.0.1:port accepts a connection; raises RuntimeError (with the server's
    standard error when it captured it) when the server exits or `seconds` pass first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stderr = server.stderr.read() if server.stderr and server.poll() is not None else ""
                raise RuntimeError(f"jurisdex serve on port {port} did not start: {stderr}") from None
            time.sleep(0.1)
