"""WSGI entry point of the load test (``benchmarks/load.py``): the portal's application,
unchanged, with the CPU time each request cost its worker in a response header
(``X-Load-CPU-Ms``). A sync worker serves one request at a time, so the process's CPU time
across the request is that request's; the locustfile records it per page. On a shared
machine the wall times stretch with everyone else's work, this figure much less."""

from __future__ import annotations

import time

from govservice.wsgi import application as portal

HEADER = "X-Load-CPU-Ms"


def application(environ, start_response):
    started = time.process_time()

    def start_with_cpu(status, headers, exc_info=None):
        spent = (time.process_time() - started) * 1000
        return start_response(status, [*headers, (HEADER, f"{spent:.2f}")], exc_info)

    return portal(environ, start_with_cpu)
