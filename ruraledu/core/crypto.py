"""Personal ID numbers at rest: AES-GCM ciphertext, an HMAC blind index for look-up and
uniqueness, and a short hint (region prefix, last four) for masked display.

Keys come from the DATA_KEY environment variable (base64, 32 bytes) or a key file, never from
the database or the code. Embedded and test modes create their own key file on first use.
"""

import base64
import hashlib
import os
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .idnumbers import id_text


def _master_key() -> bytes:
    value = os.environ.get("DATA_KEY", "")
    if value:
        key = base64.b64decode(value)
    else:
        path = Path(settings.DATA_KEY_FILE)
        if not path.exists():
            if not settings.DATA_KEY_AUTOCREATE:
                raise ImproperlyConfigured(
                    "缺少个人信息加密密钥：请设置 DATA_KEY 或 DATA_KEY_FILE。"
                )
            _create_key_file(path)
        key = base64.b64decode(path.read_bytes().strip())
    if len(key) != 32:
        raise ImproperlyConfigured("个人信息加密密钥必须是 32 字节（base64 编码）。")
    return key


def _create_key_file(path: Path) -> None:
    """A new key, written whole under another name and linked into place: of several
    processes starting at once (test workers, the site and its task worker) the first one's
    key is kept and none reads a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".data-key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(base64.b64encode(os.urandom(32)))
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made it first: theirs is the key
    finally:
        os.unlink(temporary)


@lru_cache(maxsize=1)
def _keys() -> tuple[AESGCM, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=b"ruraledu-id").derive(
        _master_key()
    )
    return AESGCM(material[:32]), material[32:]


@lru_cache(maxsize=1)
def _index_hashes() -> tuple:
    """HMAC-SHA256 (RFC 2104) of the index key with its inner and outer hash states keyed
    once: each value then costs two hash copies, half of what `hmac.digest` spends."""
    _, key = _keys()
    block = key.ljust(64, b"\0")  # the key is shorter than SHA-256's 64-byte block
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return inner.copy, outer.copy


def normalise_id(value: str) -> str:
    return normalise_ids([value])[0]


def normalise_ids(values: list[str]) -> list[str]:
    return [id_text(v.strip()) for v in values]


def encrypt(value: str) -> bytes:
    return next(encrypt_many([value]))


def encrypt_many(values: list[str]) -> Iterator[bytes]:
    """`encrypt` of each value, lazily (a bulk insert seals rows as it sends them), with all
    the random nonces drawn in one system call."""
    cipher, _ = _keys()
    nonces = os.urandom(12 * len(values))
    for i, value in enumerate(values):
        nonce = nonces[12 * i : 12 * i + 12]
        yield nonce + cipher.encrypt(nonce, value.encode(), None)


def decrypt(blob: bytes) -> str:
    cipher, _ = _keys()
    blob = bytes(blob)
    return cipher.decrypt(blob[:12], blob[12:], None).decode()


# The blind index keeps 128 bits of the HMAC: collisions stay out of reach for any
# population, and the unique index is half the size of the full hex digest.
INDEX_BYTES = 16


def blind_index(value: str) -> str:
    return blind_indexes([value])[0]


def blind_indexes(values: list[str]) -> list[str]:
    """`blind_index` of each value; one call for a whole roster."""
    new_inner, new_outer = _index_hashes()
    indexes = []
    for value in normalise_ids(values):
        inner = new_inner()
        inner.update(value.encode())
        outer = new_outer()
        outer.update(inner.digest())
        indexes.append(outer.digest()[:INDEX_BYTES].hex())
    return indexes


def hint(value: str) -> str:
    """The characters kept for masked display: region prefix and last four."""
    return hints([value])[0]


def hints(values: list[str]) -> list[str]:
    return [f"{v[:4]}|{v[-4:]}" if len(v) > 8 else "" for v in normalise_ids(values)]


def masked(hint_value: str, length: int = 18) -> str:
    if not hint_value or "|" not in hint_value:
        return "—"
    head, tail = hint_value.split("|", 1)
    return head + "*" * (length - len(head) - len(tail)) + tail
