"""Near-duplicate detection (syndicated wire copy, republished articles) with MinHash LSH.

A signature is datasketch's ``MinHash(num_perm=128, seed=1, scheme="affine64")`` of the word 3-shingles
of the normalised body, each shingle hashed as datasketch's default ``sha1_hash64`` does.  LSH bands are
stored as rows (``minhash_bands``), so the index lives in the database: it survives restarts, is shared
by concurrent writers and works the same on SQLite and PostgreSQL.  Candidates sharing a band are
confirmed with the estimated Jaccard similarity of the stored signatures.

The signature is computed here, with numpy, in datasketch's own arithmetic (the MurmurHash3 64-bit
finaliser, then ``a * h + b`` modulo 2**64 with the ``a, b`` its seeded ``RandomState`` draws), rather
than by datasketch: importing datasketch imports its LSH module and with it scipy, which costs every
process that stores or prepares articles (the client and each Dask worker) ~55 MB and ~0.6 s, for one
(bands, rows) choice that is a constant.  No other MinHash library computes these values, and the
signatures and band keys of existing databases must stay valid, so the few lines below are pinned to
datasketch instead: the tests compare them value for value with datasketch (a test dependency) over
real articles, and check that datasketch's ``MinHashLSH`` still chooses ``BANDS`` and ``ROWS``.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

NUM_PERM = 128
THRESHOLD = 0.7
SHINGLE = 3
SEED = 1
# The (bands, rows) that datasketch's MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM) finds optimal.
BANDS, ROWS = 14, 9
# A 20-byte SHA-1 digest whose first 8 bytes, little-endian, are the shingle's hash (``sha1_hash64``).
_SHA1_HEAD = np.dtype([("head", "<u8"), ("rest", "V12")])
_DIGEST = operator.methodcaller("digest")


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations' ``a`` (odd) and ``b``, drawn as datasketch draws them for the
    ``affine64`` scheme (NumPy's legacy ``RandomState`` stream is frozen: the same values forever)."""
    draw = np.random.RandomState(SEED)
    a = draw.randint(0, 1 << 63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = draw.randint(0, 1 << 64, NUM_PERM, dtype=np.uint64)
    return a, b


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, which datasketch applies to every input hash (uint64 arithmetic
    wraps, which is the intended modulo 2**64)."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def signature(tokens: Sequence[str]) -> bytes:
    """The MinHash of the word 3-shingles of a text's :func:`~marsad.store.search.words` (one shingle of
    every word when there are fewer): ``NUM_PERM`` unsigned 64-bit values in native byte order, as
    stored in ``articles.minhash``."""
    if len(tokens) < SHINGLE:
        shingles = {" ".join(tokens)}
    else:
        shingles = set(map(" ".join, zip(*(tokens[i:] for i in range(SHINGLE)), strict=False)))
    digests = b"".join(map(_DIGEST, map(hashlib.sha1, map(str.encode, shingles))))
    hashes = _fmix64(np.frombuffer(digests, dtype=_SHA1_HEAD)["head"])
    a, b = _permutations()
    return (hashes[:, np.newaxis] * a + b).min(axis=0).tobytes()


def band_buckets(signature: bytes) -> list[str]:
    """One bucket key per band: a hash of the band number and its slice of the signature (so keys of
    different bands never collide and one ``IN`` finds every candidate)."""
    width = ROWS * 8
    return [
        hashlib.blake2b(
            signature[band * width : (band + 1) * width], digest_size=16, salt=band.to_bytes(2, "big")
        ).hexdigest()
        for band in range(BANDS)
    ]


def similarity(signature: bytes, stored: bytes) -> float:
    """The estimated Jaccard similarity of two signatures: the share of equal values."""
    return sum(map(operator.eq, memoryview(signature).cast("Q"), memoryview(stored).cast("Q"))) / NUM_PERM
