"""The scopes a token may carry. One place: the token form, the docs and the routes use these."""

from __future__ import annotations

SCOPES: dict[str, str] = {
    "people:read": "Read people's records (never their equality answers)",
    "people:write": "Create and update people, mark tenancies ended",
    "sessions:read": "Read sessions, projects and decisions",
    "attendance:write": "Record who came to a session",
    "rewards:read": "Read approved reward payments (for finance)",
    "rewards:write": "Mark approved reward payments as exported to finance",
    "voice:read": "Whose voice is heard: equality totals with small numbers hidden (never a "
    "person's answers)",
    "public:read": "Read what is already public: promises, health-check and TSM results",
}
