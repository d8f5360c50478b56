"""Set up a fresh database for a real server under test: a coordinator with a signed-in
session (two-step sign-in done) and a health check. Prints JSON: session cookie and check id.

Run as `python -m tests.support.live_setup` with DATABASE_URL pointing at a migrated database.
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from coproduce.accounts.models import User
    from coproduce.evaluation import services
    from coproduce.projects.models import Project
    from coproduce.promises.models import Promise, PromiseSet, SetStatus

    carol = User.objects.create_user(
        email="carol@example.org", password="correct horse battery", role="coordinator"
    )
    project = Project.objects.create(title="Promises", purpose="x", owner=carol)
    promise_set = PromiseSet.objects.create(
        project=project, title="Our promises", status=SetStatus.PUBLISHED
    )
    Promise.objects.create(promise_set=promise_set, title="Listen", wording="We listen.")
    check = services.check_create(
        promise_set=promise_set, year=2026, title="Health check", scale="rag", actor=carol
    )
    session = SessionStore()
    session[SESSION_KEY] = str(carol.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = carol.get_session_auth_hash()
    try:  # two-step sign-in, for settings that require it of staff
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=carol, name="test", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    except ImportError:  # pragma: no cover
        pass
    session.save()
    print(json.dumps({"session": session.session_key, "check": check.pk}))


if __name__ == "__main__":
    main()
