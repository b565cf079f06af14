"""Helpers shared by the benchmark scripts: statistics and a results table."""
import json

import numpy as np


def summarize(latencies_ms):
    return {
        "avg_latency_ms": float(np.mean(latencies_ms)),
        "p50_latency_ms": float(np.percentile(latencies_ms, 50)),
        "p95_latency_ms": float(np.percentile(latencies_ms, 95)),
        "std_ms": float(np.std(latencies_ms)),
    }


def print_table(results):
    print(f"{'batch':>6} {'avg ms':>10} {'p95 ms':>10} {'items/s':>12}")
    for batch_size, r in results.items():
        print(f"{batch_size:>6} {r['avg_latency_ms']:>10.3f} {r['p95_latency_ms']:>10.3f} {r['throughput']:>12.1f}")


def save_json(results, path):
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
