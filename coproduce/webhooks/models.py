"""Webhooks: landlord systems subscribe to event kinds and get a signed HTTP POST.

`WebhookEndpoint` is one subscriber (a URL, the event kinds it wants, its secret).
`WebhookEvent` is one thing that happened (its uuid is the `webhook-id` header, the same on every
retry). `WebhookDelivery` is one event to one endpoint: tried until delivered or failed.
"""

from __future__ import annotations

import uuid

from django.db import models


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    kinds = models.JSONField(default=list, help_text="Event kinds this endpoint receives.")
    secret = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["url"], name="webhook_endpoint_url_once")]

    def __str__(self) -> str:
        return self.description or self.url


class WebhookEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} to {self.endpoint_id}: {self.status}"
