"""Password protection for report PDFs: AES-256 as PDF 2.0 specifies it (revision 6).

It plugs into ReportLab's own encryption hook (a `StandardEncryption` that ReportLab asks
for the encryption dictionary and for every string and stream). ReportLab's built-in 256-bit
mode is not used: it writes revision 5 (deprecated, and its key check can be bypassed) and
pads its keys and data twice, so poppler and pypdf refuse or garble the files. The AES here
is the `cryptography` package's.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase.pdfdoc import DummyDoc, PDFDictionary, PDFName, PDFObject


def _aes(key: bytes, data: bytes, iv: bytes | None = None) -> bytes:
    """AES-CBC without padding (ECB for one block when iv is None)."""
    mode = modes.CBC(iv) if iv is not None else modes.ECB()
    encryptor = Cipher(algorithms.AES(key), mode).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _hash(password: bytes, salt: bytes, user: bytes = b"") -> bytes:
    """Algorithm 2.B of ISO 32000-2: the hardened, iterated hash of revision 6."""
    k = hashlib.sha256(password + salt + user).digest()
    rounds = 0
    while True:
        e = _aes(k[:16], (password + k + user) * 64, k[16:32])
        k = (hashlib.sha256, hashlib.sha384, hashlib.sha512)[sum(e[:16]) % 3](e).digest()
        rounds += 1
        if rounds >= 64 and e[-1] <= rounds - 32:
            return k[:32]


class _Dictionary(PDFObject):
    """The /Encrypt dictionary of a revision 6 file."""

    __RefOnly__ = 1

    def __init__(self, lock: PasswordLock) -> None:
        self.lock = lock

    def format(self, document: Any) -> bytes:
        lock = self.lock
        crypt = PDFDictionary(
            {"CFM": PDFName("AESV3"), "AuthEvent": PDFName("DocOpen"), "Length": 32}
        )
        entries = {
            "Filter": PDFName("Standard"),
            "V": 5,
            "R": 6,
            "Length": 256,
            "P": lock.P,
            "O": lock.O.hex().upper().join("<>"),
            "U": lock.U.hex().upper().join("<>"),
            "OE": lock.OE.hex().upper().join("<>"),
            "UE": lock.UE.hex().upper().join("<>"),
            "Perms": lock.Perms.hex().upper().join("<>"),
            "CF": PDFDictionary({"StdCF": crypt}),
            "StmF": PDFName("StdCF"),
            "StrF": PDFName("StdCF"),
        }
        # A dummy document writes the dictionary itself unencrypted, as the standard wants.
        return bytes(PDFDictionary(entries).format(DummyDoc()))


class PasswordLock(StandardEncryption):
    """Opening needs `password`; the owner password is random and never kept, so the
    restrictions (no editing) cannot be lifted by anyone."""

    def __init__(self, password: str) -> None:
        super().__init__(password, secrets.token_urlsafe(24), canPrint=1, canModify=0,
                         canCopy=1, canAnnotate=0, strength=128)  # fmt: skip
        self.revision = 6

    def prepare(self, document: Any, overrideID: Any = None) -> None:  # noqa: N803
        if self.prepared:
            raise ValueError("encryption already prepared")
        user = self.userPassword.encode("utf-8")[:127]
        owner = self.ownerPassword.encode("utf-8")[:127]
        self.key = os.urandom(32)
        self.P = int(self.permissionBits() - 2**31)
        salts = os.urandom(16)
        self.U = _hash(user, salts[:8]) + salts
        self.UE = _aes(_hash(user, salts[8:]), self.key, bytes(16))
        salts = os.urandom(16)
        self.O = _hash(owner, salts[:8], self.U) + salts
        self.OE = _aes(_hash(owner, salts[8:], self.U), self.key, bytes(16))
        perms = (self.P & 0xFFFFFFFF).to_bytes(4, "little") + b"\xff" * 4 + b"Tadb"
        self.Perms = _aes(self.key, perms + os.urandom(4))
        self.objnum = self.version = None
        self.prepared = 1

    def encode(self, t: Any) -> bytes:
        """A string or stream: a random IV, then AES-256-CBC with PKCS#7 padding."""
        if not self.prepared:
            raise ValueError("encryption not prepared")
        data = t.encode("utf-8") if isinstance(t, str) else bytes(t)
        padder = padding.PKCS7(128).padder()
        iv = os.urandom(16)
        return iv + _aes(self.key, padder.update(data) + padder.finalize(), iv)

    def info(self) -> _Dictionary:  # type: ignore[override]  # ReportLab only formats it
        if not self.prepared:
            raise ValueError("encryption not prepared")
        return _Dictionary(self)
