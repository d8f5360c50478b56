"""What people tells the apps above it. People sits low in the layers (docs/architecture.md), so
it cannot call the apps that act on a change; they listen here instead."""

from django.dispatch import Signal

# Sent with `person=` inside the transaction that unticked "Happy to be contacted": a withdrawal
# that must take effect everywhere at once (privacy.consent listens).
contact_consent_withdrawn = Signal()
