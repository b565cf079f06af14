"""Near-duplicate clusters: scripts one migration decision can cover.

Each file gets a :class:`Fingerprint` in the worker that read it (the source text is there):

1. string literals (docstrings included) become a placeholder and comments go, with bytes
   regexes (no tokenizer: this runs on every file and must cost a fraction of ``ast.parse``);
2. the file's own *model key*, from its name (``benchmark_bert_base.py`` -> ``bert_base``),
   becomes ``@`` wherever it appears in identifiers (``BertBaseBenchmark``): generated
   per-model copies of one template are then equal;
3. ``exact`` is the sha256 of that text with all whitespace removed (reformatting is ignored);
4. ``sketch`` is a one-permutation MinHash (128 bins, rotation densification) of the 4-word
   shingles (every number counts as the word ``N``: numbers are parameters), which estimates
   the Jaccard similarity of two files in O(128).

:func:`find_clusters` then groups equal ``exact`` values and links groups whose sketches agree
on at least 90% of bins, found through LSH (16 bands of 8 bins): near-linear in the file count.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from benchmig.analyzer._compiled import speedups

__all__ = [
    "FINGERPRINT_VERSION",
    "MIN_TOKENS",
    "Cluster",
    "Fingerprint",
    "find_clusters",
    "fingerprint_source",
    "model_key_pattern",
    "normalise_source",
    "replace_model_key",
]

FINGERPRINT_VERSION = "2"
MIN_TOKENS = 50  # smaller files (empty __init__.py, two-line shims) are not worth clustering
SIMILARITY_THRESHOLD = 0.9
_BINS = 128
_BANDS = 16
_ROWS = _BINS // _BANDS
_BIN_BITS = _BINS.bit_length() - 1
_FULL_BUCKET = 48  # larger LSH buckets are compared against a few leaders, not pairwise
_LEADERS = 16
_CENTER_CANDIDATES = 256  # representative search bound for huge clusters

_U64 = np.uint64
_EMPTY = np.iinfo(np.uint64).max

_STRINGS_AND_COMMENTS = re.compile(
    rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|$)'
    rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*(?:'''|$)"
    rb'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    rb"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    rb"|\#[^\n]*",
    re.S,
)
_WHITESPACE = b" \t\n\r\f\v"
_NON_WORD = bytes(c if (chr(c).isalnum() or c == ord("_") or c >= 128) else 32 for c in range(256))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+")
_COMMON_WORDS = frozenset(
    str.split(
        "test tests bench benchmark benchmarks benchmarking hf run runner runs main model models "
        "skill skills skillset util utils helper helpers script scripts example examples demo "
        "fixed new old copy backup final generated template simple basic perf performance latency "
        "throughput inference training train suite core api py impl orig original"
    )
)


@dataclass(frozen=True)
class Fingerprint:
    """What clustering needs of one file: its normalised hash and a MinHash sketch."""

    exact: str  # sha256 hex of the normalised, whitespace-free text
    sketch: bytes  # _BINS little-endian uint64 values
    tokens: int  # words in the normalised text


@dataclass(frozen=True)
class Cluster:
    """Near-identical files: ``members`` sorted, one ``representative``, the lowest similarity."""

    id: str
    members: tuple[str, ...]
    representative: str
    similarity: float  # estimated Jaccard of the least similar member to the representative
    exact: bool  # every member normalises to the same text


class _TokenIds(dict[bytes, int]):
    """crc32 of a word, memoised: deterministic across processes (unlike ``hash``)."""

    def __missing__(self, word: bytes) -> int:
        value = zlib.crc32(b"N" if word[:1].isdigit() else word)  # numbers are parameters
        self[word] = value
        return value


_TOKEN_IDS = _TokenIds()


def _model_keys(rel_path: str) -> list[str]:
    """The model key's spellings from the file's name (lowercase words joined by ``_?``),
    longest first."""
    stem = rel_path.rsplit("/", 1)[-1]
    if stem.endswith(".py"):
        stem = stem[:-3]
    runs: list[list[str]] = [[]]
    for word in _CAMEL.split(stem):
        lowered = word.lower()
        if not lowered or lowered in _COMMON_WORDS or (lowered.isdigit() and not runs[-1]):
            runs.append([])
        else:
            runs[-1].append(lowered)
    return sorted(
        ("_?".join(re.escape(w) for w in run) for run in runs if len("".join(run)) >= 2),
        key=len,
        reverse=True,
    )


def model_key_pattern(rel_path: str) -> re.Pattern[bytes] | None:
    """A pattern for the file's model key (from the distinctive words of its name), or ``None``."""
    keys = _model_keys(rel_path)
    if not keys:
        return None
    return re.compile("|".join(keys).encode())  # lowercase: see replace_model_key


def replace_model_key(
    pattern: re.Pattern[bytes], text: bytes, lowered: bytes | None = None
) -> bytes:
    """Replace the model key with ``@`` where it is a whole camel/snake word of a name:
    ``OptModel`` and ``opt_model`` but not ``Optional`` or ``empty_cache``.

    The (lowercase) pattern runs over a lowercased copy (``lowered``, if the caller has it),
    where its literal prefix makes the scan fast; boundaries are checked in Python on the few
    matches, against the original text.
    """
    pieces: list[bytes] = []
    last = 0
    for match in pattern.finditer(text.lower() if lowered is None else lowered):
        start, end = match.span()
        before, first, after = text[start - 1 : start], text[start : start + 1], text[end : end + 1]
        camel = (before.islower() or before.isdigit()) and first.isupper()
        if (not before.isalnum() or camel) and not after.islower():
            pieces += (text[last:start], b"@")
            last = end
    if not pieces:
        return text
    pieces.append(text[last:])
    return b"".join(pieces)


_STRING_MARKS = [b"S" + b"\n" * lines for lines in range(64)]
# The same pattern as one group: split() returns code and matches alternately.
_SPLIT_STRINGS_AND_COMMENTS = re.compile(
    b"(" + _STRINGS_AND_COMMENTS.pattern + b")", _STRINGS_AND_COMMENTS.flags
)


def _strip_python(data: bytes) -> bytes:
    """Comments removed, each string literal replaced by ``S`` and its newlines.

    One ``split`` and a loop over the matches: 15-20% faster than ``sub`` with a callback,
    which builds a match object and calls Python for each of the many matches.
    """
    pieces = _SPLIT_STRINGS_AND_COMMENTS.split(data)
    marks = _STRING_MARKS
    for index in range(1, len(pieces), 2):
        text = pieces[index]
        if text[0] == 35:  # "#": a comment
            pieces[index] = b""
        else:
            lines = text.count(b"\n")  # keep line numbers for later scans
            pieces[index] = marks[lines] if lines < 64 else b"S" + b"\n" * lines
    return b"".join(pieces)


_strip = speedups.strip if speedups is not None else _strip_python
"""The stripping pass: ``_speedups.strip`` (C, the same output) where it was built."""


def normalise_source(rel_path: str, data: bytes) -> bytes:
    """The text clustering compares: no comments, strings as ``S``, the model key as ``@``.

    Line numbers are kept (a stripped multi-line string leaves its newlines).
    """
    text = _strip(data)
    keys = _model_keys(rel_path)
    if not keys:
        return text
    lowered = text.lower()
    # Every spelling starts with a literal word: a text without any of them has no key to
    # replace, and its pattern need not even be compiled (half the files of a real tree).
    if not any(key.split("_?", 1)[0].encode() in lowered for key in keys):
        return text
    pattern = re.compile("|".join(keys).encode())
    return replace_model_key(pattern, text, lowered)


def fingerprint_source(normalised: bytes) -> Fingerprint:
    """Fingerprint of a text from :func:`normalise_source`."""
    exact = hashlib.sha256(normalised.translate(None, _WHITESPACE)).hexdigest()
    sketch, tokens = _sketch_words(normalised)
    return Fingerprint(exact=exact, sketch=sketch, tokens=tokens)


def _sketch_words_python(normalised: bytes) -> tuple[bytes, int]:
    """The sketch of a normalised text's words (as bytes) and how many words it has."""
    words = normalised.translate(_NON_WORD).split()
    ids = np.fromiter(map(_TOKEN_IDS.__getitem__, words), dtype=_U64, count=len(words))
    return _sketch(ids).astype("<u8", copy=False).tobytes(), len(words)


_sketch_words = speedups.sketch if speedups is not None else _sketch_words_python
"""The word pass: ``_speedups.sketch`` (C, the same output) where it was built."""


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """A 64-bit finaliser (splitmix64): spreads shingle hashes uniformly over the bins."""
    values = values * _U64(0x9E3779B97F4A7C15)
    values ^= values >> _U64(30)
    values *= _U64(0xBF58476D1CE4E5B9)
    values ^= values >> _U64(27)
    values *= _U64(0x94D049BB133111EB)
    values ^= values >> _U64(31)
    return values


def _sketch(ids: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    sketch = np.full(_BINS, _EMPTY, dtype=_U64)
    if len(ids) < 4:
        return sketch
    prime = _U64(1000003)
    with np.errstate(over="ignore"):
        shingles = _mix(((ids[:-3] * prime + ids[1:-2]) * prime + ids[2:-1]) * prime + ids[3:])
    bins = (shingles >> _U64(64 - _BIN_BITS)).astype(np.intp)
    np.minimum.at(sketch, bins, shingles & _U64((1 << (64 - _BIN_BITS)) - 1))
    return _densify(sketch)


def _densify(sketch: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Fill empty bins from the next filled one (circularly), offset by the distance."""
    filled = np.flatnonzero(sketch != _EMPTY)
    if len(filled) in (0, _BINS):
        return sketch
    positions = np.arange(_BINS)
    nxt = np.searchsorted(filled, positions) % len(filled)
    source = filled[nxt]
    distance = (source - positions) % _BINS
    out = sketch[source] + distance.astype(_U64) * _U64(0x9E3779B97F4A7C15)
    return np.where(sketch == _EMPTY, out, sketch).astype(_U64)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _buckets(matrix: npt.NDArray[np.uint64]) -> Iterable[list[int]]:
    """LSH buckets of two or more rows: rows equal on all bins of one band."""
    for band in range(_BANDS):
        rows = np.ascontiguousarray(matrix[:, band * _ROWS : (band + 1) * _ROWS])
        keys = rows.view(np.dtype((np.void, rows.dtype.itemsize * _ROWS))).ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        shared = np.flatnonzero(counts[inverse] > 1)  # rows whose band value is not unique
        if len(shared) == 0:
            continue
        order = shared[np.argsort(inverse[shared], kind="stable")]
        cuts = np.flatnonzero(np.diff(inverse[order])) + 1
        yield from (group.tolist() for group in np.split(order, cuts))


def _candidate_pairs(matrix: npt.NDArray[np.uint64]) -> Iterable[tuple[int, int]]:
    for members in _buckets(matrix):
        if len(members) <= _FULL_BUCKET:
            yield from ((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        else:  # a degenerate bucket: link each member to one of a few leaders
            leaders = members[:_LEADERS]
            yield from ((leader, m) for m in members for leader in leaders if leader != m)


def _similarity(matrix: npt.NDArray[np.uint64], a: int, b: int) -> float:
    return float(np.count_nonzero(matrix[a] == matrix[b])) / _BINS


def find_clusters(
    fingerprints: Mapping[str, Fingerprint], *, threshold: float = SIMILARITY_THRESHOLD
) -> list[Cluster]:
    """Group files (path -> fingerprint) into clusters of two or more near-identical files."""
    groups: dict[str, list[str]] = defaultdict(list)
    sketches: dict[str, bytes] = {}
    for path in sorted(fingerprints):
        fp = fingerprints[path]
        if fp.tokens >= MIN_TOKENS:
            groups[fp.exact].append(path)
            sketches[fp.exact] = fp.sketch
    keys = sorted(groups, key=lambda k: groups[k][0])
    if not keys:
        return []
    matrix = np.frombuffer(b"".join(sketches[k] for k in keys), dtype="<u8").reshape(len(keys), -1)
    links = _UnionFind(len(keys))
    for a, b in _candidate_pairs(matrix):
        if links.find(a) != links.find(b) and _similarity(matrix, a, b) >= threshold:
            links.union(a, b)
    components: dict[int, list[int]] = defaultdict(list)
    for index in range(len(keys)):
        components[links.find(index)].append(index)
    built = [_build(matrix, keys, groups, members) for members in components.values()]
    clusters = sorted((c for c in built if c is not None), key=lambda c: (-len(c[0]), c[0][0]))
    return [
        Cluster(f"c{n}", members, rep, sim, exact)
        for n, (members, rep, sim, exact) in enumerate(clusters, 1)
    ]


def _build(
    matrix: npt.NDArray[np.uint64],
    keys: Sequence[str],
    groups: Mapping[str, list[str]],
    component: Sequence[int],
) -> tuple[tuple[str, ...], str, float, bool] | None:
    members = tuple(sorted(p for i in component for p in groups[keys[i]]))
    if len(members) < 2:
        return None
    rows = matrix[list(component)]
    weights = np.array([len(groups[keys[i]]) for i in component], dtype=np.float64)
    best: tuple[float, str, int] | None = None
    for position, index in enumerate(component[:_CENTER_CANDIDATES]):
        agreement = np.count_nonzero(rows == rows[position], axis=1) / _BINS
        score = (-float(agreement @ weights), groups[keys[index]][0], position)
        best = score if best is None or score < best else best
    assert best is not None
    center = best[2]
    similarity = float(np.min(np.count_nonzero(rows == rows[center], axis=1))) / _BINS
    representative = groups[keys[component[center]]][0]
    return members, representative, round(similarity, 4), len(component) == 1
