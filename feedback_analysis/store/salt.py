"""The pseudonym salt file: read it, or create it once with the owner's permissions only."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SALT_BYTES = 32


def load_or_create_salt(path: Path) -> bytes:
    """Read the pseudonym salt, or create it on first use.

    In: the salt file path. Out: the salt bytes. A new salt is 32 random bytes from :mod:`secrets`,
    written hex-encoded to a file only the owner can read (mode 0600), parent folders created. An
    existing file that does not hold hex text raises ValueError: replacing it silently would give
    every author a new id. The salt is never logged or printed.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        salt = secrets.token_bytes(SALT_BYTES)
        try:
            # O_EXCL: if two processes start at once, the second one reads the first one's salt.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(salt.hex() + "\n")
            return salt
    content = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        salt = bytes.fromhex(content)
    except ValueError:
        raise ValueError(f"{path}: not a pseudonym salt file (expected hex text)") from None
    if len(salt) < 16:
        raise ValueError(f"{path}: pseudonym salt is too short ({len(salt)} bytes, expected {SALT_BYTES})")
    return salt
