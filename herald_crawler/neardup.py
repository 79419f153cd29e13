"""Near-duplicate detection: MinHash signatures (``datasketch``) of article bodies and their LSH band keys.

A body's signature is a 64-value MinHash of its set of lower-cased word 3-shingles; the share of equal
values estimates the Jaccard similarity of two bodies. Two articles are near-duplicates at an estimated
similarity of ``THRESHOLD`` or more: a republished wire story, a re-issued article with a new lede or a
corrected figure. Candidates are found through 8 bands of 8 values each (LSH): two bodies at similarity
0.9 share a band with probability 0.99, at 0.8 with 0.77, at 0.5 with 0.03.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
BANDS = 8
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.8
SEED = 20250403  # fixed, like the scheme: signatures are stored and compared across runs
SCHEME = "affine32"
_WORD = re.compile(r"\w+")
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)  # permutations computed once, shared


def _minhash(values: np.ndarray | None = None) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=values, permutations=_TEMPLATE.permutations
    )


def signature(body: str) -> bytes:
    """The body's MinHash signature: 64 unsigned 32-bit values, little-endian (256 bytes)."""
    words = _WORD.findall(body.lower())
    shingles = {" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))} if words else {""}
    minhash = _minhash()
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype("<u4").tobytes()


def band_keys(sig: bytes) -> list[tuple[int, int]]:
    """(band, key) pairs for LSH: each band's 8 values hashed to a signed 64-bit key."""
    width = ROWS * 4
    return [
        (band, int.from_bytes(hashlib.blake2b(sig[band * width : (band + 1) * width], digest_size=8).digest(),
                              "little", signed=True))
        for band in range(BANDS)
    ]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two bodies whose signatures these are."""
    first = _minhash(np.frombuffer(a, dtype="<u4").astype(np.uint64))
    second = _minhash(np.frombuffer(b, dtype="<u4").astype(np.uint64))
    return float(first.jaccard(second))
