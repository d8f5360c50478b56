"""Password hashing at OWASP's recommended argon2id cost.

Django's own Argon2PasswordHasher uses m=100 MiB, t=2, p=8: about 0.1 s and 100 MiB per
sign-in, which starves page requests on a small server when many people sign in at once.
OWASP's Password Storage Cheat Sheet recommends argon2id with at least m=19 MiB (19456 KiB),
t=2, p=1; this hasher uses exactly that. It keeps the algorithm name "argon2", so hashes made
with Django's defaults still verify, and Django re-hashes them at these parameters on the next
successful sign-in (must_update compares the stored parameters).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB, that is 19 MiB
    parallelism = 1
