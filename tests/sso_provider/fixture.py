"""Start the test OpenID provider (tests/sso_provider) in a subprocess on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENT_ID = "coproduce-test-client"
CLIENT_SECRET = "coproduce-test-secret"
PROVIDER_PASSWORD = "provider password 123"


@dataclass(frozen=True)
class RunningProvider:
    url: str
    issuer: str
    discovery: str

    def settings(self, name: str = "Test Org") -> dict[str, str]:
        """The SSO_PROVIDERS entry coproduce's settings.py makes from the SSO_OIDC_* variables."""
        return {
            "kind": "oidc",
            "name": name,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "issuer": self.issuer,
            "discovery": self.discovery,
            "authorization_endpoint": "",
            "token_endpoint": "",
            "jwks_uri": "",
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def provider_running(
    directory: Path, *, redirect_uris: list[str], users: list[dict[str, str]]
) -> Iterator[RunningProvider]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = directory / "provider-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    issuer = f"{url}/o"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso_provider.settings",
        "SSO_PROVIDER_DB": str(directory / "provider.sqlite3"),
        "SSO_PROVIDER_KEY_FILE": str(key_file),
        "SSO_PROVIDER_ISSUER": issuer,
        "SSO_PROVIDER_USERS": json.dumps(
            [{"password": PROVIDER_PASSWORD, **user} for user in users]
        ),
        "SSO_PROVIDER_CLIENT": json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
            }
        ),
    }
    env.pop("DATABASE_URL", None)
    log = (directory / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sso_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    discovery = f"{issuer}/.well-known/openid-configuration"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError((directory / "provider.log").read_text())
            try:
                if requests.get(discovery, timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("The test provider did not start in 30 seconds")
            time.sleep(0.1)
        yield RunningProvider(url=url, issuer=issuer, discovery=discovery)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def sign_in_at_provider(authorize_url: str, email: str) -> str:
    """Drive the provider's login form as a person would; return the redirect back to us."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=True, timeout=10)
    csrf = browser.cookies.get("provider_csrf")
    response = browser.post(
        response.url,
        data={
            "csrfmiddlewaretoken": csrf,
            "username": email,
            "password": PROVIDER_PASSWORD,
        },
        headers={"Referer": response.url},
        allow_redirects=False,
        timeout=10,
    )
    # The login form sends the person back to the authorize page, which redirects to us.
    while response.status_code == 302:
        location = response.headers["Location"]
        if not location.startswith("/"):
            return location
        response = browser.get(
            response.url.split("/", 3)[0] + "//" + response.url.split("/", 3)[2] + location,
            allow_redirects=False,
            timeout=10,
        )
    raise AssertionError(f"The provider did not send us back: {response.status_code}")
