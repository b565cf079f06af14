"""String joining strategies compared with timeit."""
import timeit

WORDS = ["alpha", "beta", "gamma", "delta"] * 250


def bench_join(number=200, repeat=5):
    words = list(WORDS)
    times = timeit.repeat(lambda: " ".join(words), number=number, repeat=repeat)
    return min(times) / number


def bench_concat(number=200):
    words = list(WORDS)
    return timeit.timeit("''.join(w + ' ' for w in words)", globals={"words": words}, number=number) / number


if __name__ == "__main__":
    print(bench_join(), bench_concat())
