"""The sealed container of a sync bundle: compressed JSON records, encrypted and authenticated.

Layout: a fixed preamble (magic, format version, scrypt cost, salt, nonce prefix), then
chunks, each `length (4 bytes) + AES-256-GCM ciphertext`. A chunk's nonce is the file's random
prefix and the chunk's number; its associated data is the preamble, the number and whether it
is the last chunk — so a changed byte, a chunk moved, dropped or added, or a cut file all fail
authentication. The key comes from the bundle passphrase through scrypt (memory-hard, as the
replica's). Nothing about the contents can be read without the passphrase: no names, no ids,
not even the kind of bundle.

Inside, the plaintext is a zlib stream of newline-separated JSON records (the first one is the
bundle's header). Reading is bounded: chunk sizes, the size of one record and the whole
plaintext are capped, so a hostile file cannot exhaust memory.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BufferedReader
from pathlib import Path
from typing import IO, Any, BinaryIO

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from engine.casework.private_files import write_private
from sync.database import DEFAULT_KDF_COST, derive
from sync.errors import SyncError

MAGIC = b"CFBUNDLE"
FORMAT = 1
KDF_COST = DEFAULT_KDF_COST  # scrypt N, as the replica's key
_PREAMBLE = struct.Struct(">8sBB16s8s")  # magic, format, log2(N), salt, nonce prefix
_LENGTH = struct.Struct(">I")
CHUNK = 1 << 20  # plaintext bytes per chunk
MAX_CHUNK = CHUNK + (1 << 16)  # a compressed chunk may grow a little, never much
MAX_RECORD = 16 << 20  # one document (CouchDB's own limit is 8 MB)
MAX_PLAINTEXT = 8 << 30  # 8 GiB of JSON: far beyond a district, far below a bomb's aim


class BundleUnreadable(SyncError):
    """The file is not a bundle, was changed, or the passphrase is wrong."""

    def __init__(self, path: Path, why: str, words: dict[str, str]) -> None:
        self.path, self.why, self.words = path, why, words
        super().__init__(words["en"])


def _unreadable(path: Path, why: str) -> BundleUnreadable:
    texts = {
        "not-a-bundle": {
            "zh-CN": f"{path} 不是 careforms 同步包。",
            "en": f"{path} is not a careforms bundle.",
        },
        "tampered": {
            "zh-CN": f"{path} 无法打开：口令不对，或文件已被改动或不完整。未导入任何内容。",
            "en": f"{path} cannot be opened: the passphrase is wrong, or the file was changed "
            "or is incomplete. Nothing was applied.",
        },
        "too-large": {
            "zh-CN": f"{path} 的内容超出同步包的大小上限，已拒绝。",
            "en": f"{path} holds more than a bundle may; refused.",
        },
        "unreadable": {
            "zh-CN": f"无法读取 {path}。",
            "en": f"{path} cannot be read.",
        },
    }
    return BundleUnreadable(path, why, texts[why])


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


def _aad(preamble: bytes, number: int, last: bool) -> bytes:
    return preamble + struct.pack(">IB", number, int(last))


def write_bundle(
    path: Path, passphrase: str, records: Iterable[Any], *, kdf_cost: int = KDF_COST
) -> int:
    """Write `records` (JSON values, the header first) sealed into `path`, through a
    temporary file moved into place only when complete; returns the file's size."""
    salt, prefix = os.urandom(16), os.urandom(8)
    preamble = _PREAMBLE.pack(MAGIC, FORMAT, kdf_cost.bit_length() - 1, salt, prefix)
    sealer = AESGCM(derive(passphrase, salt, kdf_cost))

    def sealed(out: BinaryIO) -> None:
        out.write(preamble)
        _write_chunks(out, sealer, preamble, prefix, _compressed(records))

    write_private(path, sealed)  # owner-only, moved into place only when complete
    return path.stat().st_size


def _compressed(records: Iterable[Any]) -> Iterator[bytes]:
    """The records as a zlib stream, in pieces of about CHUNK bytes."""
    packer = zlib.compressobj(9)
    pending: list[bytes] = []
    size = 0
    for record in records:
        piece = packer.compress(orjson.dumps(record) + b"\n")
        if piece:
            pending.append(piece)
            size += len(piece)
        if size >= CHUNK:
            data = b"".join(pending)
            pending, size = [data[CHUNK:]], len(data) - CHUNK
            yield data[:CHUNK]
    data = b"".join(pending) + packer.flush()
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


def _write_chunks(
    out: IO[bytes], sealer: AESGCM, preamble: bytes, prefix: bytes, pieces: Iterator[bytes]
) -> None:
    number = 0
    current = next(pieces, b"")
    while True:  # a chunk is sealed once the next one shows whether it is the last
        following = next(pieces, None)
        last = following is None
        sealed = sealer.encrypt(_nonce(prefix, number), current, _aad(preamble, number, last))
        out.write(_LENGTH.pack(len(sealed)) + sealed)
        if following is None:
            return
        current, number = following, number + 1


def read_bundle(path: Path, passphrase: str) -> Iterator[Any]:
    """The records of a bundle, in order, checked chunk by chunk as they are read.

    A changed or cut file raises BundleUnreadable at the chunk where it shows, so a caller
    that must apply nothing of a bad file reads it through once (`check_bundle`) first."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _unreadable(path, "unreadable") from exc
    with handle:
        preamble = handle.read(_PREAMBLE.size)
        if len(preamble) < _PREAMBLE.size:
            raise _unreadable(path, "not-a-bundle")
        magic, version, log_cost, salt, prefix = _PREAMBLE.unpack(preamble)
        if magic != MAGIC or version != FORMAT or not 8 <= log_cost <= 17:
            raise _unreadable(path, "not-a-bundle")
        opener = AESGCM(derive(passphrase, salt, 1 << log_cost))
        unpacker = zlib.decompressobj()
        buffer = b""
        total = 0
        for plain in _opened_chunks(path, handle, opener, preamble, prefix):
            data = unpacker.decompress(plain, MAX_RECORD)
            while True:
                total += len(data)
                if total > MAX_PLAINTEXT:
                    raise _unreadable(path, "too-large")
                buffer += data
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    yield _record(path, line)
                if len(buffer) > MAX_RECORD:
                    raise _unreadable(path, "too-large")
                if not unpacker.unconsumed_tail:
                    break
                data = unpacker.decompress(unpacker.unconsumed_tail, MAX_RECORD)
        if buffer or not unpacker.eof:
            raise _unreadable(path, "tampered")


def _opened_chunks(
    path: Path, handle: BufferedReader, opener: AESGCM, preamble: bytes, prefix: bytes
) -> Iterator[bytes]:
    number = 0
    while True:
        head = handle.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            raise _unreadable(path, "tampered")  # cut before the last chunk
        (length,) = _LENGTH.unpack(head)
        if length > MAX_CHUNK + 16:
            raise _unreadable(path, "tampered")
        sealed = handle.read(length)
        last = handle.peek(1)[:1] == b""
        try:
            plain = opener.decrypt(_nonce(prefix, number), sealed, _aad(preamble, number, last))
        except InvalidTag as exc:
            raise _unreadable(path, "tampered") from exc
        yield plain
        if last:
            return
        number += 1


def _record(path: Path, line: bytes) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:  # authenticated, so written wrong: not ours
        raise _unreadable(path, "not-a-bundle") from exc


@dataclass(frozen=True)
class CheckedBundle:
    """A bundle read through once and found whole: its first and last records."""

    path: Path
    passphrase: str
    header: dict[str, Any]
    end: dict[str, Any]

    def records(self) -> Iterator[dict[str, Any]]:
        """The records between the header and the end (read, and checked, again)."""
        for record in read_bundle(self.path, self.passphrase):
            if isinstance(record, dict) and "kind" not in record and "end" not in record:
                yield record

    def batches(
        self, size: int, others: list[dict[str, Any]] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """The documents among the records, in batches of `size`; the other records are
        gathered into `others` on the way (the file is read once more, not twice)."""
        batch: list[dict[str, Any]] = []
        for record in self.records():
            if isinstance(record.get("doc"), dict):
                batch.append(record["doc"])
                if len(batch) >= size:
                    yield batch
                    batch = []
            elif others is not None:
                others.append(record)
        if batch:
            yield batch


def check_bundle(path: Path, passphrase: str) -> CheckedBundle:
    """Read the whole bundle once, checking every chunk, before anything of it is used."""
    header: Any = None
    last: Any = None
    for record in read_bundle(path, passphrase):
        if header is None:
            header = record
        last = record
    if not isinstance(header, dict) or not isinstance(last, dict) or "end" not in last:
        raise _unreadable(path, "not-a-bundle")
    end = last["end"]
    return CheckedBundle(path, passphrase, header, end if isinstance(end, dict) else {})
