"""`manage.py check --deploy` is clean under the production settings of docs/production.md."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# docs/production.md, "The settings": what every app server and task worker is given.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "involve.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://involve.example.org",
    "SECURE_PROXY_SSL_HEADER": "true",
    "TRUSTED_PROXIES": "1",
    "DATABASE_URL": "postgres://coproduce@db.internal:5432/coproduce",
    "DB_CONN_MAX_AGE": "60",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "MEDIA_ROOT": "/srv/coproduce/media",
    "SITE_URL": "https://involve.example.org",
}


def _check(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing from the developer's shell or from the test run leaks into the check.
        # (the browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for the whole run)
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_", "DATABASE_", "REDIS_"))
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="coproduce.settings", **overrides)
    return subprocess.run(  # noqa: S603 - our own fixed command
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_documented_production_settings_pass_the_deploy_check():
    result = _check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_check_fails_when_https_is_switched_off():
    # The check above is not a rubber stamp: one weakened setting and it fails.
    result = _check(SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_the_check_fails_with_a_short_secret_key():
    result = _check(SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
