from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from coproduce.accounts.roles import Role, is_staff_role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.SYSADMIN)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Tenants' logins link to their Person record (people app)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.TENANT)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        # Only the Django admin reads this; we do not mount it.
        return False

    @property
    def is_staff_member(self) -> bool:
        return is_staff_role(self.role)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class SsoIdentity(models.Model):
    """Which account at an identity provider (its `sub`) signs in as this staff login.

    Recorded on the first single sign-on, so a later change of email at the provider cannot
    reach another account (docs/sso.md)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sso_identities")
    provider = models.CharField(max_length=20)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "user"], name="sso_one_per_provider"),
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_subject_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} sign-in for {self.user}"
