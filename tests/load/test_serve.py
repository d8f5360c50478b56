"""`coproduce serve` (`make serve`): migrate, collect static, then gunicorn and a task worker."""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coproduce.core.serve import commands

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    for port in range(18100, 18200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail("no free port in 18100-18199")


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _children(pid: int) -> list[str]:
    """The command lines of a process's children (Linux)."""
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        with contextlib.suppress(FileNotFoundError):
            found.append(Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


def test_web_concurrency_sets_the_gunicorn_workers_and_a_task_worker_runs_beside():
    found = commands(bind="127.0.0.1:8000", workers=5, tasks=True)
    assert found["web"][-4:] == ["--workers", "5", "--bind", "127.0.0.1:8000"]
    assert found["tasks"][-2:] == ["manage", "db_worker"]
    assert "tasks" not in commands(bind="127.0.0.1:8000", workers=3, tasks=False)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_serve_migrates_collects_static_and_runs_web_and_tasks_until_stopped(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coproduce.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "true",
        # A fresh database of its own: serve must build it.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "WEB_CONCURRENCY": "2",
        "BIND": f"127.0.0.1:{port}",
    }
    env.pop("REDIS_URL", None)
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(  # noqa: S603 - our own fixed command
        [sys.executable, "-m", "coproduce", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            with contextlib.suppress(OSError):
                if _get(port, "/healthz") == 200:
                    break
            time.sleep(0.3)
        assert (tmp_path / "static" / "coproduce" / "coproduce.css").exists()
        assert _get(port, "/static/coproduce/coproduce.css") == 200
        children = _children(serve.pid)
        assert any(
            "gunicorn coproduce.wsgi --config" in c and "--workers 2" in c for c in children
        ), children
        assert any("db_worker" in c for c in children), children

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=40) == 0
        with pytest.raises(OSError):
            _get(port, "/healthz")
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
        log.close()
