"""The near-duplicate signatures are datasketch's, value for value (signatures and LSH band keys already
stored stay valid), and storing articles does not import datasketch or scipy."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from datasketch import MinHash, MinHashLSH

from bench.corpus import ant_files
from marsad.ingest import iter_documents
from marsad.store import dedup
from marsad.store.search import words
from tests.arabic_sentences import SENTENCES


def datasketch_signature(tokens: list[str]) -> MinHash:
    """What the store computed with datasketch itself before it computed the values on its own."""
    if len(tokens) < dedup.SHINGLE:
        shingles = {" ".join(tokens)}
    else:
        shingles = {" ".join(tokens[i : i + dedup.SHINGLE]) for i in range(len(tokens) - dedup.SHINGLE + 1)}
    minhash = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme="affine64")
    minhash.update_batch(shingle.encode("utf-8") for shingle in shingles)
    return minhash


def real_texts() -> list[str]:
    """Real Arabic sentences, one at a time and as articles of a few, and every 300th ANT article when
    the corpus is present."""
    rng = random.Random(5)
    texts = SENTENCES + [" ".join(rng.sample(SENTENCES, rng.randint(2, 12))) for _ in range(200)]
    for path in ant_files()[::300]:
        texts += [document.text for document in iter_documents([path])]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return real_texts()


def test_signatures_are_datasketchs_value_for_value(texts: list[str]) -> None:
    checked = 0
    for text in texts:
        tokens = words(text)
        for head in (tokens, tokens[:2], tokens[:1], []):  # fewer words than a shingle, too
            assert dedup.signature(head) == datasketch_signature(head).hashvalues.tobytes()
            checked += 1
    assert checked >= 4 * len(SENTENCES)


def test_similarity_is_datasketchs_jaccard_estimate(texts: list[str]) -> None:
    tokens = [words(text) for text in texts[:120]]
    for first, second in zip(tokens, tokens[1:] + tokens[:1], strict=True):
        for other in (second, first[: len(first) * 3 // 4], first):  # unrelated, near copy, identical
            expected = datasketch_signature(first).jaccard(datasketch_signature(other))
            assert dedup.similarity(dedup.signature(first), dedup.signature(other)) == expected


def test_bands_and_rows_are_those_datasketch_finds_optimal() -> None:
    lsh = MinHashLSH(threshold=dedup.THRESHOLD, num_perm=dedup.NUM_PERM)
    assert (lsh.b, lsh.r) == (dedup.BANDS, dedup.ROWS)
    assert dedup.BANDS * dedup.ROWS <= dedup.NUM_PERM


def test_band_keys_are_those_already_stored() -> None:
    """Keys made by the datasketch-based store, so that stored articles keep being found."""
    keys = dedup.band_buckets(dedup.signature(words(SENTENCES[0])))
    assert len(set(keys)) == dedup.BANDS
    assert keys[0] == "aa7ef845d3126a50d9fdbc9175d2e021"
    assert keys[-1] == "65c766ee9dd1e834144f60511fa5701f"


def test_storing_articles_imports_neither_datasketch_nor_scipy() -> None:
    code = (
        "import sys, marsad.store, marsad.store.writer\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'datasketch', 'scipy'})\n"
        "print(','.join(heavy))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == ""
