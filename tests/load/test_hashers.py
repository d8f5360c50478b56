"""Sign-in hashing cost (issue #20): OWASP's argon2id minimum, and old hashes still work."""

from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher
from django.test import override_settings

from coproduce.accounts.hashers import OwaspArgon2PasswordHasher

OWASP = ["coproduce.accounts.hashers.OwaspArgon2PasswordHasher"]


def test_new_hashes_use_owasp_argon2id_parameters():
    encoded = OwaspArgon2PasswordHasher().encode("correct horse battery", "saltsaltsalt")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@override_settings(PASSWORD_HASHERS=OWASP)
def test_a_hash_made_with_djangos_defaults_still_verifies_and_is_upgraded():
    old = Argon2PasswordHasher().encode("correct horse battery", "saltsaltsalt")
    assert "m=102400" in old
    saved = []
    assert check_password("correct horse battery", old, setter=saved.append)
    # Django calls the setter to re-hash at the new cost after a successful check.
    assert saved == ["correct horse battery"]
    assert not check_password("wrong password here", old)
    assert isinstance(identify_hasher(old), OwaspArgon2PasswordHasher)


@override_settings(PASSWORD_HASHERS=OWASP)
def test_a_hash_at_owasp_cost_is_not_rehashed():
    hasher = OwaspArgon2PasswordHasher()
    current = hasher.encode("correct horse battery", hasher.salt())
    saved = []
    assert check_password("correct horse battery", current, setter=saved.append)
    assert saved == []
