"""Signals people sends, for apps above it to listen to (people imports none of them).

`people_imported` is sent once a file import has been committed. A bulk import writes rows
with raw SQL, so no `post_save` is sent for each person: listeners that keep figures about
people (the diversity dashboard) refresh on this instead.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the import's transaction commits; keyword argument `result` (ImportResult).
people_imported = Signal()
