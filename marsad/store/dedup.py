"""Near-duplicate detection (syndicated wire copy, republished articles) with MinHash LSH.

Signatures come from ``datasketch`` over word 3-shingles of the normalised body.  LSH bands are
stored as rows (``minhash_bands``), so the index lives in the database: it survives restarts, is
shared by concurrent writers and works the same on SQLite and PostgreSQL.  Candidates sharing a
band are confirmed with the estimated Jaccard similarity of the stored signatures.
"""

from __future__ import annotations

import hashlib
import operator
import struct
from array import array
from collections.abc import Sequence
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.7
SHINGLE = 3
SEED = 1
SCHEME = "affine64"  # 64-bit hash values, stored as unsigned 64-bit integers
_DIGEST = operator.methodcaller("digest")
_SHA1_HEAD = struct.Struct("<Q12x")  # a 20-byte SHA-1 digest: its first 8 bytes, little-endian, are the hash
_FIRST = operator.itemgetter(0)


@lru_cache(maxsize=1)
def bands_and_rows() -> tuple[int, int]:
    """LSH (bands, rows) that datasketch finds optimal for the threshold."""
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@lru_cache(maxsize=1)
def _permutations() -> object:
    """The hash permutations, drawn once per process (drawing them costs more than hashing a text)."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature(tokens: Sequence[str]) -> MinHash:
    """MinHash of the word 3-shingles of a text's :func:`~marsad.store.search.words` (one shingle of
    every word when there are fewer).

    Each shingle is hashed as datasketch's default ``sha1_hash64`` does (the first 8 bytes of its SHA-1,
    little-endian), but in C-level maps over all shingles instead of a Python call per shingle;
    datasketch then applies its permutations to these values as they are."""
    if len(tokens) < SHINGLE:
        shingles = {" ".join(tokens)}
    else:
        shingles = set(map(" ".join, zip(*(tokens[i:] for i in range(SHINGLE)), strict=False)))
    digests = b"".join(map(_DIGEST, map(hashlib.sha1, map(str.encode, shingles))))
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations(), hashfunc=operator.index
    )
    minhash.update_batch(map(_FIRST, _SHA1_HEAD.iter_unpack(digests)))
    return minhash


def band_buckets(minhash: MinHash) -> list[str]:
    """One bucket key per band: a hash of the band number and its slice of the signature (so keys of
    different bands never collide and one ``IN`` finds every candidate)."""
    bands, rows = bands_and_rows()
    values = minhash.hashvalues
    return [
        hashlib.blake2b(
            values[b * rows : (b + 1) * rows].tobytes(), digest_size=16, salt=b.to_bytes(2, "big")
        ).hexdigest()
        for b in range(bands)
    ]


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.tobytes()


def similarity(minhash: MinHash, stored: bytes) -> float:
    other = MinHash(seed=SEED, scheme=SCHEME, hashvalues=array("Q", stored), permutations=_permutations())
    return minhash.jaccard(other)
