"""A benchmark that writes every sample to SQLite while it measures."""
import sqlite3
import time

import numpy as np


def benchmark_and_store(db_path="results.db", runs=10):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE IF NOT EXISTS samples (ms REAL)")
    a = np.random.rand(128, 128)
    for _ in range(runs):
        start = time.perf_counter()
        a @ a
        conn.execute("INSERT INTO samples VALUES (?)", ((time.perf_counter() - start) * 1000,))
    conn.commit()
    conn.close()


if __name__ == "__main__":
    benchmark_and_store()
