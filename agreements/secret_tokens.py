"""Secret links and API tokens are stored as hashes only: the token is shown once."""

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
