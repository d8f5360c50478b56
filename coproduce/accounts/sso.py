"""Staff single sign-on with OpenID Connect (docs/sso.md).

mozilla-django-oidc reads one provider from settings; here its backend is given one provider's
settings per request, so Microsoft Entra ID, Google Workspace and a generic provider can all be
on at once. The backend does the token exchange and checks the ID token's signature (RS256,
against the provider's JWKS) and nonce; this module checks issuer, audience, the email and
the staff account, and never creates accounts or changes roles.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import generate_code_challenge

from coproduce.accounts import roles
from coproduce.accounts.middleware import SSO_MFA_KEY
from coproduce.accounts.models import SsoIdentity, User
from coproduce.core.audit import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

FLOW_KEY = "sso_flow"
# Set on a session whose SSO sign-in counts as the second step (middleware.py).
MFA_KEY = SSO_MFA_KEY
DISCOVERY_CACHE_SECONDS = 3600

UNKNOWN = (
    "There is no staff account in coproduce for {email}, or it has been switched off. "
    "Ask the system admin to add you. Tenants sign in with their email address and password."
)
TENANT = (
    "Tenants cannot sign in with an organisation account. Sign in with your email address "
    "and password instead, or use the link we sent you."
)
UNVERIFIED = (
    "{provider} did not confirm that this email address is yours, so we cannot sign you in "
    "with it. Ask your IT team, or sign in with your email address and password."
)
WRONG_DOMAIN = (
    "That {provider} account is not one of the organisation's accounts. Sign in with your "
    "work account."
)
OTHER_SUBJECT = (
    "This coproduce account is linked to a different {provider} account. Sign in with the "
    "account you used before, or ask the system admin to unlink it."
)
FAILED = (
    "Signing in with {provider} did not work. Try again, or sign in with your email address "
    "and password."
)


class Refused(Exception):
    """Sign-in refused; the message is shown to the person, the reason goes in the audit log."""

    def __init__(self, message: str, reason: str, user: User | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.user = user


@dataclass(frozen=True)
class Provider:
    key: str
    kind: str  # entra, google or oidc
    name: str
    client_id: str
    client_secret: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    hosted_domain: str = ""


def is_on() -> bool:
    return bool(settings.SSO_PROVIDERS)


def configured() -> list[tuple[str, str]]:
    """(key, button name) for each provider, for the sign-in page."""
    return [(key, conf["name"]) for key, conf in settings.SSO_PROVIDERS.items()]


def provider_get(key: str) -> Provider | None:
    """The provider's settings, its endpoints from discovery if needed. None if not configured.

    Raises requests.RequestException when the discovery document cannot be fetched."""
    conf = settings.SSO_PROVIDERS.get(key)
    if conf is None:
        return None
    endpoints = {
        name: conf.get(name, "")
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
    }
    if conf.get("discovery") and not all(endpoints.values()):
        found = _discovery(conf["discovery"])
        endpoints = {name: value or str(found.get(name, "")) for name, value in endpoints.items()}
    return Provider(
        key=key,
        kind=conf["kind"],
        name=conf["name"],
        client_id=conf["client_id"],
        client_secret=conf["client_secret"],
        issuer=conf["issuer"],
        hosted_domain=conf.get("hosted_domain", ""),
        **endpoints,
    )


def _discovery(url: str) -> dict[str, Any]:
    cache_key = f"sso-discovery:{url}"
    found = cache.get(cache_key)
    if found is None:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        found = response.json()
        cache.set(cache_key, found, DISCOVERY_CACHE_SECONDS)
    return dict(found)


def authorization_url(
    *,
    request: HttpRequest,
    provider: Provider,
    redirect_uri: str,
    next_url: str,
    confirming: int | None = None,
) -> str:
    """Start a sign-in: remember state, nonce and PKCE verifier in the session.

    ``confirming`` is the signed-in user's id when they are confirming who they are before a
    sensitive page (reauth.py) rather than signing in: the provider is asked to sign them in
    afresh (prompt=login, max_age=0), not to wave them through on its own session."""
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    request.session[FLOW_KEY] = {
        "provider": provider.key,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "next": next_url,
        "confirming": confirming,
    }
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    if confirming is not None:
        params["prompt"] = "login"
        params["max_age"] = "0"
    elif provider.kind in ("entra", "google"):
        # Staff often have a personal account signed in too: let them choose.
        params["prompt"] = "select_account"
    if provider.kind == "google" and provider.hosted_domain:
        params["hd"] = provider.hosted_domain
    return f"{provider.authorization_endpoint}?{urlencode(params)}"


class ProviderBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, for one provider given at construction."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = ""
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = User

    def claims(self, *, code: str, redirect_uri: str, nonce: str, verifier: str) -> dict[str, Any]:
        """Exchange the code for tokens and return the verified ID token's claims."""
        token_info = self.get_token(
            {
                "client_id": self.provider.client_id,
                "client_secret": self.provider.client_secret,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            }
        )
        id_token = token_info.get("id_token")
        if not isinstance(id_token, str):
            raise ValueError("No ID token in the token response")
        # Signature (RS256 with the provider's JWKS), expiry and nonce.
        payload: dict[str, Any] = self.verify_token(id_token, nonce=nonce)
        issuers = {self.provider.issuer}
        if self.provider.kind == "google":
            # Google documents both forms.
            issuers.add("accounts.google.com")
        if payload.get("iss") not in issuers:
            raise ValueError(f"ID token from the wrong issuer {payload.get('iss')!r}")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.provider.client_id not in audiences:
            raise ValueError("ID token for another client")
        return payload


def verified_email(provider: Provider, claims: dict[str, Any]) -> str:
    """The email the provider vouches for, lower case, or Refused."""
    email = str(claims.get("email") or "").strip().lower()
    if not email or "@" not in email or len(email) > 254:
        raise Refused(UNVERIFIED.format(provider=provider.name), "no email in the token")
    domain = email.rsplit("@", 1)[1]
    if provider.kind == "entra":
        # Entra sends no email_verified: its email claim is only trusted for domains the
        # organisation names, or when Entra says the domain is verified (xms_edov).
        verified = domain in settings.SSO_ENTRA_EMAIL_DOMAINS or claims.get("xms_edov") in (
            True,
            "true",
            "1",
            1,
        )
    else:
        verified = claims.get("email_verified") in (True, "true")
    if not verified:
        raise Refused(UNVERIFIED.format(provider=provider.name), "email not verified")
    if provider.kind == "google" and provider.hosted_domain:
        if str(claims.get("hd") or "").lower() != provider.hosted_domain:
            raise Refused(WRONG_DOMAIN.format(provider=provider.name), "wrong hosted domain")
    return email


@transaction.atomic
def staff_match(provider: Provider, claims: dict[str, Any]) -> User:
    """The existing, active staff login for these claims; records the provider's subject on
    first use. Raises Refused."""
    email = verified_email(provider, claims)
    subject = str(claims.get("sub") or "")
    if not subject:
        raise Refused(FAILED.format(provider=provider.name), "no subject in the token")
    user = User.objects.filter(email__iexact=email).first()
    if user is None or not user.is_active:
        raise Refused(UNKNOWN.format(email=email), "no active account", user)
    if roles.is_tenant_role(user.role) or not roles.is_staff_role(user.role):
        raise Refused(TENANT, "tenant account", user)
    identity = SsoIdentity.objects.select_for_update().filter(provider=provider.key, user=user)
    linked = identity.first()
    if linked is not None:
        if linked.subject != subject:
            raise Refused(OTHER_SUBJECT.format(provider=provider.name), "different subject", user)
        return user
    if SsoIdentity.objects.filter(provider=provider.key, subject=subject).exists():
        raise Refused(
            OTHER_SUBJECT.format(provider=provider.name), "subject linked to another account", user
        )
    try:
        with transaction.atomic():
            SsoIdentity.objects.create(user=user, provider=provider.key, subject=subject)
    except IntegrityError:
        # The same sign-in twice at once: the other request linked it; check it is the same.
        if not SsoIdentity.objects.filter(
            provider=provider.key, user=user, subject=subject
        ).exists():
            raise Refused(
                OTHER_SUBJECT.format(provider=provider.name), "different subject", user
            ) from None
    audit_record(
        action="sso.linked",
        actor=user,
        obj=user,
        summary=f"Linked to their {provider.name} account",
    )
    return user


def provider_did_mfa(claims: dict[str, Any]) -> bool:
    """Whether this sign-in counts as two-step (docs/sso.md, "Two-step sign-in")."""
    if settings.SSO_TRUSTS_PROVIDER_MFA:
        return True
    amr = claims.get("amr")
    return isinstance(amr, list) and "mfa" in amr


def refusal_record(*, request: HttpRequest, provider: Provider | None, refused: Refused) -> None:
    name = provider.name if provider else "an unknown provider"
    audit_record(
        action="sso.refused",
        object_type="accounts.user",
        object_id=refused.user.pk if refused.user else "",
        # Filed under the account if there is one (it names nobody); otherwise nothing about
        # the address is kept.
        summary=f"Single sign-on with {name} refused: {refused.reason}",
        request=request,
    )


def providers_for(user: User) -> list[tuple[str, str]]:
    """The configured providers this login has signed in with: (key, name), to confirm with."""
    if not is_on():
        return []
    linked = set(user.sso_identities.values_list("provider", flat=True))
    return [(key, name) for key, name in configured() if key in linked]


def passwords_refused(user: User) -> bool:
    """Whether this login may not sign in with a password (SSO_STAFF_PASSWORDS=off).

    The system admin keeps the password as the break-glass way in when the provider is down
    or misconfigured; tenants always keep theirs."""
    return (
        is_on()
        and settings.SSO_STAFF_PASSWORDS == "off"
        and roles.is_staff_member(user)
        and not roles.can_manage_accounts(user)
    )
