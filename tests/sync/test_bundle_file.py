"""The sealed bundle file: what goes in comes out; any change, cut or wrong passphrase is
refused; nothing inside can be read; the size stays near the compressed JSON's."""

from __future__ import annotations

import gzip
import random
import struct
from pathlib import Path

import orjson
import pytest

from sync.bundle_file import (
    MAX_CHUNK,
    BundleUnreadable,
    check_bundle,
    read_bundle,
    write_bundle,
)

PREAMBLE = 34  # bytes before the first chunk
CHEAP = 2**8  # the key derivation's cost in tests (the default is 2**15)


def records(n: int) -> list[dict[str, object]]:
    """A header, `n` documents (with notes that compress like typed text would not), an end."""
    docs: list[dict[str, object]] = [{"kind": "outbound", "replica": "replica-one"}]
    docs += [
        {
            "doc": {
                "_id": f"child:{i:05d}",
                "_rev": f"1-{i:032x}",
                "name": f"王小明{i}",
                "village": "东村",
                "notes": random.Random(i).randbytes(200).hex(),
                "_revisions": {"start": 1, "ids": [f"{i:032x}"]},
            }
        }
        for i in range(n)
    ]
    return [*docs, {"end": {"documents": n}}]


def written(tmp_path: Path, n: int = 30) -> Path:
    path = tmp_path / "x.bundle"
    write_bundle(path, "secret words", records(n), kdf_cost=CHEAP)
    return path


def test_what_goes_in_comes_out_and_the_file_is_private(tmp_path: Path) -> None:
    path = written(tmp_path, 6000)  # several chunks
    assert list(read_bundle(path, "secret words")) == records(6000)
    bundle = check_bundle(path, "secret words")
    assert bundle.header == {"kind": "outbound", "replica": "replica-one"}
    assert bundle.end == {"documents": 6000}
    assert sum(len(b) for b in bundle.batches(500)) == 6000
    assert path.stat().st_mode & 0o777 == 0o600
    assert [f.name for f in tmp_path.iterdir()] == ["x.bundle"]  # no partial file left


def test_nothing_of_the_contents_can_be_read(tmp_path: Path) -> None:
    data = written(tmp_path).read_bytes()
    for visible in (b"child:0", "王小明".encode(), "东村".encode(), b"outbound", b"replica-one"):
        assert visible not in data


@pytest.mark.parametrize("where", [0.1, 0.5, 0.99])
def test_one_flipped_byte_is_refused(tmp_path: Path, where: float) -> None:
    path = written(tmp_path, 6000)
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BundleUnreadable) as refused:
        check_bundle(path, "secret words")
    assert refused.value.why in ("tampered", "not-a-bundle")
    assert "Nothing was applied" in refused.value.words["en"] or refused.value.why != "tampered"


def test_a_cut_or_lengthened_file_and_a_wrong_passphrase_are_refused(tmp_path: Path) -> None:
    path = written(tmp_path, 6000)
    whole = path.read_bytes()
    first_chunk_end = PREAMBLE + 4 + struct.unpack(">I", whole[PREAMBLE : PREAMBLE + 4])[0]
    assert first_chunk_end < len(whole)  # more than one chunk
    cases = {
        "cut": whole[: len(whole) // 2],
        "cut at a chunk's end": whole[:first_chunk_end],
        "lengthened": whole + whole[-100:],
    }
    for name, data in cases.items():
        path.write_bytes(data)
        with pytest.raises(BundleUnreadable) as refused:
            check_bundle(path, "secret words")
        assert refused.value.why == "tampered", name
    path.write_bytes(whole)
    with pytest.raises(BundleUnreadable) as refused:
        check_bundle(path, "other words")
    assert refused.value.why == "tampered"
    assert "口令不对" in refused.value.words["zh-CN"]


def test_other_files_and_hostile_lengths_are_refused_early(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a bundle at all", "utf-8")
    with pytest.raises(BundleUnreadable) as refused:
        check_bundle(other, "secret words")
    assert refused.value.why == "not-a-bundle"
    path = written(tmp_path)
    head = path.read_bytes()[:PREAMBLE]
    path.write_bytes(head + struct.pack(">I", 2**31) + b"x" * 100)  # claims a 2 GB chunk
    with pytest.raises(BundleUnreadable) as refused:
        check_bundle(path, "secret words")
    assert refused.value.why == "tampered"
    assert MAX_CHUNK < 2**31


def test_the_size_is_near_the_compressed_json(tmp_path: Path) -> None:
    path = written(tmp_path, 5000)
    docs = records(5000)
    compressed = len(gzip.compress(b"\n".join(orjson.dumps(r) for r in docs)))
    assert path.stat().st_size <= compressed * 1.10
