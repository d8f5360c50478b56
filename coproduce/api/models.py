from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TokenKind(models.TextChoices):
    PERSONAL = "personal", "Personal (a person uses it from their own scripts)"
    SERVICE = "service", "Service (another system uses it, e.g. the housing system)"


class ApiToken(models.Model):
    """A bearer token for /api/v1/. Only a SHA-256 hash of the secret is kept: the secret is
    shown once, when the token is made. A token works only while it is not revoked, not
    expired and its owner's account is active."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=TokenKind.choices, default=TokenKind.SERVICE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scopes = models.JSONField(default=list)
    # The first characters of the secret, in clear, so a token can be told apart in lists and
    # logs without the secret itself.
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"
