"""A TCP proxy the fault tests control: 127.0.0.1:<port> → a server (Postgres, Redis).

* :meth:`TcpProxy.cut` drops every connection and closes new ones at once: the server is
  down (a crash, a restart).
* :meth:`TcpProxy.freeze` stops moving bytes either way and leaves new connections waiting
  in the listen backlog, keeping everything already sent: the server hangs (stopped, out of
  memory, a partition) — the client's requests still reach it once it is back, answered
  or not.
* :meth:`TcpProxy.restore` lets everything through again.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time


class TcpProxy:
    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.server = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.mode = "pass"
        self.running = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, scheme: str, path: str = "") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while self.running:
            if self.mode == "freeze":  # the backlog holds them, as a stopped server's would
                time.sleep(0.05)
                continue
            try:
                client, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            if self.mode == "cut":
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError, ValueError):
            while self.running:
                if self.mode == "freeze":  # leave the bytes where they are
                    time.sleep(0.05)
                    continue
                readable, _, _ = select.select([source], [], [], 0.1)
                if not readable:
                    continue
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.mode = "cut"
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()

    def freeze(self) -> None:
        self.mode = "freeze"

    def restore(self) -> None:
        self.mode = "pass"

    def close(self) -> None:
        self.running = False
        self.cut()
        self.server.close()
