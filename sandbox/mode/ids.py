"""Mode's identifiers: 12-hex ``token``s in paths, sparse increasing numeric ``id``s."""
import hashlib
import uuid


class TokenMint:
    """Unique 12-hex tokens drawn from a seeded generator."""

    def __init__(self, rng):
        self._rng = rng
        self._issued = set()

    def next(self):
        while True:
            token = f"{self._rng.getrandbits(48):012x}"
            if token not in self._issued and not token.isdigit():
                self._issued.add(token)
                return token


class IdMint:
    """Increasing ids with gaps, like ids shared with other workspaces' rows."""

    def __init__(self, rng, start):
        self._rng = rng
        self._last = start

    def next(self):
        self._last += self._rng.randint(1, 29)
        return self._last


def derive_token(*parts):
    """A stable token for a record that is derived rather than stored (query runs)."""
    text = ":".join(str(part) for part in parts).encode()
    return hashlib.blake2b(text, digest_size=6).hexdigest()


def random_uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
