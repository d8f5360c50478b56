from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    # Every claim goes in the ID token, whatever the scopes.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        # The test users' first and last names carry what the tests need: last_name
        # "unverified" means email_verified false; first_name "mfa" adds amr ["pwd", "mfa"].
        claims: dict[str, Any] = {
            "email": user.email,
            "email_verified": user.last_name != "unverified",
            "amr": ["pwd", "mfa"] if user.first_name == "mfa" else ["pwd"],
        }
        return claims
