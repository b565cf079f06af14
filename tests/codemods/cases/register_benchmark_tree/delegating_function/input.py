from tools import benchmark_fn


def build():
    return lambda n: sum(range(n))


if __name__ == "__main__":
    model = build()
    print("latency ms", benchmark_fn(model, 16, iterations=20))
