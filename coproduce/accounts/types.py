"""Types for annotations: the request of a signed-in page, and whoever may be asking.

Behind ``@login_required`` the user is a ``User``; django-stubs types ``HttpRequest.user`` as
"a user or an anonymous visitor", so a view that needs the ``User`` takes an
``AuthenticatedHttpRequest`` (the pattern django-stubs recommends). Public views take a plain
``HttpRequest``; a question that an anonymous visitor may ask takes a ``Visitor``.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from coproduce.accounts.models import User

# A signed-in user or an anonymous visitor: ``request.user`` as django-stubs types it (our only
# user model is ``User``), and what the questions in roles.py take.
Visitor = AbstractBaseUser | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed ``@login_required``: ``request.user`` is a ``User``."""

    user: User
