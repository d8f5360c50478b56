"""Security headers: a Content Security Policy on every page, no inline script or style in any
template, and a production configuration that `check --deploy` passes."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "coproduce").glob("*/templates/**/*.html"))
# Documents made to be downloaded or turned into PDF (never shown as a page of the site):
# they carry their own <style> so the file stands alone.
STANDALONE_DOCUMENTS = {
    "evaluation/templates/evaluation/report.html",
    "stories/templates/stories/_document_style.html",
    # The readable summary inside a subject-access ZIP (and its PDF).
    "privacy/templates/privacy/summary.html",
    # Letters for post, laid out as a PDF by WeasyPrint.
    "messaging/templates/messaging/letters/pack.html",
    # The published satisfaction measures as a PDF.
    "tsm/templates/tsm/publication_pdf.html",
    # The TIA evidence pack as a PDF.
    "tia/templates/tia/pack_pdf.html",
}


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def test_every_page_carries_a_strict_content_security_policy(login, users):
    response = login("carol").get(reverse("home:home"))
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_error_and_public_pages_carry_the_policy_and_frame_denial(client, db):
    for path in ("/accounts/login/", "/no-such-page/", "/people/get-involved/?x=%00"):
        response = client.get(path)
        assert "script-src 'self'" in response["Content-Security-Policy"], path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path


def test_pages_load_only_our_own_scripts(login, users):
    body = login("alice").get(reverse("home:home")).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", body)
    assert scripts and all('src="/static/coproduce/' in tag for tag in scripts), scripts
    assert 'name="htmx-config"' in body and '"allowEval":false' in body


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "coproduce")))
def test_no_template_has_inline_script_or_style(path):
    relative = str(path.relative_to(ROOT / "coproduce"))
    text = path.read_text()
    # A JSON data block (as Django's json_script writes) is data the browser never runs.
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", text), (
        "inline <script>"
    )
    assert not re.search(r"\son[a-z]+\s*=", text), "on...= event handler"
    assert "javascript:" not in text.lower(), "javascript: URL"
    assert not re.search(r"\shx-on", text), "hx-on needs eval"
    assert not re.search(r"\sstyle\s*=", text), 'style="" attribute (use a class in extra.css)'
    if relative not in STANDALONE_DOCUMENTS:
        assert "<style" not in text, "<style> block (use a static .css file)"


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="involve.example.org",
        CSRF_TRUSTED_ORIGINS="https://involve.example.org",
        SECURE_PROXY_SSL_HEADER="true",
        DJANGO_SETTINGS_MODULE="coproduce.settings",
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_in_the_documented_production_configuration(tmp_path):
    env = _production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (1 silenced)." in output, output


def test_check_deploy_is_clean_without_a_proxy_header_too(tmp_path):
    env = _production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env.pop("SECURE_PROXY_SSL_HEADER")
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION_PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
c = Client()
host = {"HTTP_HOST": "involve.example.org"}
http_page = c.get("/accounts/login/", **host)
http_health = c.get("/healthz", **host)
https_page = c.get("/accounts/login/", secure=True, **host)
proxied = c.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", **host)
print(json.dumps({
    "http_page": [http_page.status_code, http_page.get("Location", "")],
    "http_health": http_health.status_code,
    "hsts": https_page.get("Strict-Transport-Security", ""),
    "proxied": proxied.status_code,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_httponly": settings.CSRF_COOKIE_HTTPONLY,
    "frame": https_page.get("X-Frame-Options", ""),
}))
"""


def test_production_redirects_to_https_except_the_health_check(tmp_path):
    import json

    env = _production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["http_page"] == [301, "https://involve.example.org/accounts/login/"]
    assert seen["http_health"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains"
    assert seen["proxied"] == 200
    assert seen["session_secure"] and seen["csrf_secure"] and seen["csrf_httponly"]
    assert seen["frame"] == "DENY"
