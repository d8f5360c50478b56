"""What people tells the apps above it. People sits low in the layers (docs/architecture.md), so
it cannot call the apps that act on a change; they listen here instead."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `person=` inside the transaction that unticked "Happy to be contacted": a withdrawal
# that must take effect everywhere at once (privacy.consent listens).
contact_consent_withdrawn = Signal()

# Sent once a file import has been committed, with `result=` (ImportResult). A bulk import writes
# rows with raw SQL, so no `post_save` is sent for each person: listeners that keep figures about
# people (the diversity dashboard) refresh on this instead.
people_imported = Signal()
