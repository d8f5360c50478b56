"""A 200 MB file and zip bombs, uploaded to the real app under gunicorn (3 sync workers, the
production settings), leave the web workers responsive: `/healthz` answers within a second
while each upload is in flight, the upload gets a clear refusal, no worker is killed or
restarted, and the workers' memory stays bounded.

Everything runs on 127.0.0.1 with a fresh SQLite database, bounded in time.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fixtures import bombs  # noqa: F401 (fixture)
from tests.support.hostile_files import MB, big_csv_chunks

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
HEALTHZ_WITHIN = 1.0  # seconds
PEAK_RSS_LIMIT = 400 * MB  # one worker at its peak; the attack saw 3.4 GB
CSRF = secrets.token_hex(16)  # 32 characters, the cookie and the form field


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))
    }
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "LOG_LEVEL": "CRITICAL",
            "MAX_UPLOAD_MB": "25",
            # Plain HTTP on loopback, as behind the TLS proxy of the production recipe.
            "SECURE_SSL_REDIRECT": "false",
        }
    )
    python = sys.executable
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 180}
    subprocess.run([python, "manage.py", "migrate", "--noinput"], **run)  # noqa: S603
    made = json.loads(
        subprocess.run([python, "-m", "tests.support.live_setup"], **run).stdout  # noqa: S603
    )
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            python,
            "-m",
            "gunicorn",
            "coproduce.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/healthz")[0] == 200 and len(_children(process.pid)) == WORKERS:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
        # Warm every worker up (the first request to a worker loads the views), as a running
        # site's workers are.
        warm = [
            threading.Thread(target=_get, args=(port, "/accounts/login/", 30))
            for _ in range(WORKERS * 4)
        ]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join(timeout=60)
        yield {"port": port, "pid": process.pid, **made}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _get(port: int, path: str, timeout: float = 5) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def _paced(chunks: Iterator[bytes], pause: float) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk
        time.sleep(pause)


def _file_chunks(path: Path, size: int = 64 * 1024) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def _upload(server, path: str, fields: dict[str, str], file_field: str, name: str, chunks, size):
    """POST a multipart form, streaming the file from `chunks` (`size` bytes in all)."""
    boundary = f"cp-{secrets.token_hex(12)}"
    fields = {"csrfmiddlewaretoken": CSRF, **fields}
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=60)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(len(head) + size + len(tail)))
        conn.putheader("Cookie", f"sessionid={server['session']}; csrftoken={CSRF}")
        conn.endheaders()
        conn.send(head)
        for chunk in chunks:
            conn.send(chunk)
        conn.send(tail)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def _while_uploading(server, upload):
    """Run `upload()` while another thread asks /healthz every 0.1 s; return both results."""
    probes: list[tuple[int, float]] = []
    done = threading.Event()

    def probe() -> None:
        while not done.is_set():
            try:
                probes.append(_get(server["port"], "/healthz", timeout=HEALTHZ_WITHIN * 5))
            except OSError:
                probes.append((0, HEALTHZ_WITHIN * 5))
            time.sleep(0.1)

    thread = threading.Thread(target=probe, daemon=True)
    workers = sorted(_children(server["pid"]))
    thread.start()
    started = time.monotonic()
    try:
        result = upload()
    finally:
        done.set()
        thread.join(timeout=10)
    took = time.monotonic() - started
    assert sorted(_children(server["pid"])) == workers, "a worker was killed or restarted"
    assert probes and all(status == 200 for status, _ in probes), probes
    slowest = max(seconds for _, seconds in probes)
    assert slowest < HEALTHZ_WITHIN, f"/healthz took {slowest:.2f} s during the upload"
    assert len(probes) >= 5, f"only {len(probes)} health checks during a {took:.1f} s upload"
    peak = max(_peak_rss(pid) for pid in workers)
    assert peak < PEAK_RSS_LIMIT, f"a worker's memory peaked at {peak // MB} MB"
    print(  # shown with pytest -s
        f"upload {took:.1f} s, {len(probes)} health checks, slowest {slowest * 1000:.0f} ms, "
        f"worker peak {peak // MB} MB"
    )
    return result


TOO_LARGE = "The file is larger than 25 MB. Split it or ask us to raise the limit."
SIZE_200_MB = 200 * MB


def test_a_200_mb_csv_to_the_people_import_is_refused_and_workers_stay_responsive(server):
    status, page = _while_uploading(
        server,
        lambda: _upload(
            server,
            "/people/import/",
            {"action": "upload"},
            "file",
            "people.csv",
            _paced(big_csv_chunks(SIZE_200_MB), 0.01),
            SIZE_200_MB,
        ),
    )
    assert status == 400
    assert TOO_LARGE in page


def test_a_200_mb_csv_to_the_evidence_page_is_refused_and_workers_stay_responsive(server):
    header = b"respondent_id,comment\n"
    status, page = _while_uploading(
        server,
        lambda: _upload(
            server,
            f"/health-checks/{server['check']}/evidence/import/",
            {
                "import-kind": "survey",
                "import-title": "Survey",
                "import-gathered_on": "2026-06-01",
            },
            "import-file",
            "survey.csv",
            _paced(big_csv_chunks(SIZE_200_MB, header), 0.01),
            SIZE_200_MB,
        ),
    )
    assert status == 200
    assert TOO_LARGE in page


def test_a_zip_bomb_xlsx_to_the_people_import_is_refused_and_workers_stay_responsive(
    server,
    bombs,  # noqa: F811
):
    bomb = bombs["xlsx"]
    status, page = _while_uploading(
        server,
        lambda: _upload(
            server,
            "/people/import/",
            {"action": "upload"},
            "file",
            "people.xlsx",
            _paced(_file_chunks(bomb), 0.02),
            bomb.stat().st_size,
        ),
    )
    assert status == 400
    assert "people.xlsx expands to 1024 MB when opened, so we cannot read it safely" in page


@pytest.mark.parametrize(("kind", "bomb"), [("document", "docx"), ("survey", "xlsx")])
def test_a_zip_bomb_to_the_evidence_page_is_refused_and_workers_stay_responsive(
    server,
    bombs,  # noqa: F811
    kind,
    bomb,
):
    path = bombs[bomb]
    status, page = _while_uploading(
        server,
        lambda: _upload(
            server,
            f"/health-checks/{server['check']}/evidence/import/",
            {
                "import-kind": kind,
                "import-title": "Evidence",
                "import-gathered_on": "2026-06-01",
            },
            "import-file",
            f"evidence.{bomb}",
            _paced(_file_chunks(path), 0.02),
            path.stat().st_size,
        ),
    )
    assert status == 200
    assert f"evidence.{bomb} expands to 1024 MB when opened, so we cannot read it safely" in page
