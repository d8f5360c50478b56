"""gunicorn's settings for production (read from the working directory: run it from the
project folder, or pass `--config /path/to/gunicorn.conf.py`). Flags on the command line win.

Measured with benchmarks/load.py (docs/benchmarks.md, issue #20) on a 2-core machine:

- Threads (the gthread worker): a sign-in spends about 0.1 s in argon2, which releases the
  GIL, and every page waits on PostgreSQL; with threads, a burst of sign-ins cannot hold every
  worker while other requests queue. CPU per request is the same either way (14-17 ms there);
  on that shared machine the throughput gain could not be told apart from other jobs' load.
- Keep-alive longer than a browser's pause between clicks (or than your proxy's idle upstream
  timeout), so a connection is not closed just as the next request is sent on it.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
timeout = 60
graceful_timeout = 30
