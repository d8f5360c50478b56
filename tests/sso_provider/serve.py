"""Run the test provider: migrate its SQLite file, add the users and the client, serve.

    python -m tests.sso_provider.serve PORT

Users come from SSO_PROVIDER_USERS (JSON list of {email, password, first_name, last_name}),
the client from SSO_PROVIDER_CLIENT (JSON {client_id, client_secret, redirect_uris})."""

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso_provider.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    port = int(sys.argv[1])
    call_command("migrate", verbosity=0)
    for person in json.loads(os.environ["SSO_PROVIDER_USERS"]):
        User.objects.create_user(
            username=person["email"],
            email=person["email"],
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
    client = json.loads(os.environ["SSO_PROVIDER_CLIENT"])
    Application.objects.create(
        name="coproduce",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    server = make_server(
        "127.0.0.1", port, get_wsgi_application(), ThreadingServer, handler_class=QuietHandler
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
