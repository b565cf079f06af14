"""Fingerprints and near-duplicate clusters."""

from __future__ import annotations

import random
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.analyzer import _clusters
from benchmig.analyzer._clusters import (
    Fingerprint,
    find_clusters,
    fingerprint_source,
    model_key_pattern,
    normalise_source,
    replace_model_key,
)

TEMPLATE = '''"""Benchmark for the {model} skillset implementation."""
import time
import argparse

MODEL_ID = "{model_id}"


class {camel}InferenceBenchmark:
    """Benchmark for {model} inference performance."""

    def setup(self):
        self.model_name = "{model}"
        self.model_type_safe = "{snake}"
        self.optional_cache = None

    def run(self, batch_sizes, warmup=2, runs=10):
        results = {{}}
        for batch_size in batch_sizes:
            for _ in range(warmup):
                self.step(batch_size)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                self.step(batch_size)
                times.append(time.perf_counter() - start)
            results[batch_size] = sum(times) / len(times)
        return results

    def step(self, batch_size):
        return [batch_size * n for n in range(100)]


def main():
    parser = argparse.ArgumentParser(description="Benchmark {model} skillset implementation")
    parser.add_argument("--batch-sizes", default="1,2,4")
    args = parser.parse_args()
    print({camel}InferenceBenchmark().run([int(b) for b in args.batch_sizes.split(",")]))
'''


def _generated(model: str, camel: str, snake: str) -> bytes:
    return TEMPLATE.format(
        model=model, model_id=f"org/{model}-base", camel=camel, snake=snake
    ).encode()


def _fp(path: str, data: bytes) -> Fingerprint:
    return fingerprint_source(normalise_source(path, data))


def _sim(a: Fingerprint, b: Fingerprint) -> float:
    x, y = np.frombuffer(a.sketch, "<u8"), np.frombuffer(b.sketch, "<u8")
    return float((x == y).mean())


def test_model_key_comes_from_the_distinctive_words_of_the_name() -> None:
    pattern = model_key_pattern("skillset/benchmark_audio-spectrogram-transformer.py")
    assert pattern is not None
    text = b"class AudioSpectrogramTransformerBenchmark: audio_spectrogram_transformer = 1"
    assert replace_model_key(pattern, text) == b"class @Benchmark: @ = 1"
    assert model_key_pattern("bench/benchmark_test.py") is None  # nothing distinctive
    opt = model_key_pattern("benchmark_opt.py")
    assert opt is not None
    assert (
        replace_model_key(opt, b"Optional empty_cache OptModel opt_model")
        == b"Optional empty_cache @Model @_model"
    )


def test_generated_per_model_copies_are_one_exact_cluster() -> None:
    models = [
        ("bert", "Bert", "bert"),
        ("blip-2", "Blip2", "blip_2"),
        ("mobilenet-v2", "MobilenetV2", "mobilenet_v2"),
        ("t5", "T5", "t5"),
    ]
    prints = {
        f"gen/benchmark_{m}.py": _fp(f"gen/benchmark_{m}.py", _generated(m, c, s))
        for m, c, s in models
    }
    assert len({fp.exact for fp in prints.values()}) == 1
    (cluster,) = find_clusters(prints)
    assert cluster.exact and cluster.similarity == 1.0
    assert cluster.members == tuple(sorted(prints))
    assert cluster.representative == "gen/benchmark_bert.py"
    assert cluster.id == "c1"


def test_comments_docstrings_strings_and_layout_are_ignored() -> None:
    base = _generated("bert", "Bert", "bert")
    noisy = (
        base.replace(b'"1,2,4"', b"'8,16'")
        .replace(b"        results = {}\n", b"        # collect\n        results = {\n        }\n")
        .replace(b'"""Benchmark for bert', b'"""Measures bert')
        .replace(b"\n", b"\r\n")
    )
    assert _fp("a/benchmark_bert.py", base).exact == _fp("b/benchmark_bert.py", noisy).exact


def test_numbers_change_the_exact_hash_but_not_the_sketch() -> None:
    base = _generated("bert", "Bert", "bert")
    other = base.replace(b"warmup=2", b"warmup=5").replace(b"range(100)", b"range(7)")
    a, b = _fp("a/benchmark_bert.py", base), _fp("b/benchmark_bert.py", other)
    assert a.exact != b.exact
    assert a.sketch == b.sketch


def test_near_duplicates_cluster_and_different_code_does_not() -> None:
    base = _generated("bert", "Bert", "bert")
    edited = base.replace(b"return results", b"print(len(results))\n        return results")
    rng = random.Random(7)
    other = "\n".join(
        f"def f{n}(a, b):\n    return a {rng.choice('+-*/')} b + {rng.choice('xyz')}{n}"
        for n in range(60)
    ).encode()
    prints = {
        "x/bench_a.py": _fp("x/bench_a.py", base),
        "y/bench_b.py": _fp("y/bench_b.py", edited),
        "z/unrelated.py": _fp("z/unrelated.py", other),
    }
    assert prints["x/bench_a.py"].exact != prints["y/bench_b.py"].exact
    (cluster,) = find_clusters(prints)
    assert cluster.members == ("x/bench_a.py", "y/bench_b.py")
    assert not cluster.exact and 0.9 <= cluster.similarity < 1.0
    assert _sim(prints["x/bench_a.py"], prints["z/unrelated.py"]) < 0.2


def test_tiny_files_are_not_clustered() -> None:
    empty = {f"p{n}/__init__.py": _fp(f"p{n}/__init__.py", b"from .x import y\n") for n in range(5)}
    assert find_clusters(empty) == []


def test_clusters_are_deterministic_and_sorted_by_size() -> None:
    base = _generated("bert", "Bert", "bert")
    other = _generated("vit", "Vit", "vit").replace(b"def step", b"def other_step_name")
    prints = {f"a{n}/benchmark_bert.py": _fp(f"a{n}/benchmark_bert.py", base) for n in range(3)}
    prints |= {f"b{n}/benchmark_vit.py": _fp(f"b{n}/benchmark_vit.py", other) for n in range(2)}
    first = find_clusters(prints, threshold=0.99)
    assert [len(c.members) for c in first] == [3, 2]
    assert first == find_clusters(dict(reversed(list(prints.items()))), threshold=0.99)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["alpha", "beta", "gamma", "delta", "x", "y", "(", ")", "+"]),
        min_size=60,
        max_size=400,
    ),
    st.integers(min_value=0, max_value=20),
)
def test_sketch_agreement_tracks_shingle_jaccard(words: list[str], changes: int) -> None:
    """The fraction of equal bins estimates the Jaccard similarity of the 4-word shingles."""
    edited = list(words)
    for n in range(changes):
        edited[(n * 7919) % len(edited)] = f"changed{n}"
    a, b = " ".join(words).encode(), " ".join(edited).encode()

    def shingles(text: bytes) -> set[bytes]:
        w = (
            normalise_source("f.py", text)
            .replace(b"(", b" ")
            .replace(b")", b" ")
            .replace(b"+", b" ")
            .split()
        )
        return {b" ".join(w[i : i + 4]) for i in range(len(w) - 3)}

    sa, sb = shingles(a), shingles(b)
    if len(sa) < 40 or len(sb) < 40:
        return
    jaccard = len(sa & sb) / len(sa | sb)
    estimate = _sim(_fp("f.py", a), _fp("f.py", b))
    assert abs(estimate - jaccard) < 0.2
    if jaccard == 1.0:
        assert estimate == 1.0


_KEY_WORDS = st.sampled_from(
    [b"bert", b"Bert", b"BERT", b"bert_base", b"BertBase", b"base", b"robert", b"x", b" ", b"\n"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_KEY_WORDS, max_size=30), st.sampled_from(["hf_bert_base.py", "a/test_opt.py"]))
def test_normalising_replaces_the_key_exactly_where_its_pattern_matches(
    words: list[bytes], path: str
) -> None:
    # normalise_source skips the pattern when no spelling of the key occurs: same result
    text = b"x = ".join(words) + b' # bert comment\ny = "bert string"\n'
    pattern = model_key_pattern(path)
    assert pattern is not None
    stripped = normalise_source("test.py", text)  # no model key: strings and comments go
    assert normalise_source(path, text) == replace_model_key(pattern, stripped)


def _reference_strip(data: bytes) -> bytes:
    """The stripping as ``sub`` with a callback (what ``_clusters._strip`` replaced)."""

    def replace(match: re.Match[bytes]) -> bytes:
        text = match[0]
        return b"" if text[:1] == b"#" else b"S" + b"\n" * text.count(b"\n")

    return _clusters._STRINGS_AND_COMMENTS.sub(replace, data)


_FRAGMENTS = st.sampled_from(
    [b"x", b" = ", b"'", b'"', b"'''", b'"""', b"#", b"\\", b"\n", b"\r\n", b"f(", b")", b"ab"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=40).map(b"".join))
def test_stripping_strings_and_comments_equals_the_substitution(data: bytes) -> None:
    assert _clusters._strip(data) == _reference_strip(data)
    many_lines = b"'''" + b"\n" * 70 + b"'''" + data  # past the precomputed marks
    assert _clusters._strip(many_lines) == _reference_strip(many_lines)
