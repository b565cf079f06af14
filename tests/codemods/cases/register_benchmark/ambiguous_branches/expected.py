"""Two timed branches chosen at run time, on parameters nobody passes."""
import time

import numpy as np


def benchmark(data, use_fft):
    if use_fft:
        start = time.perf_counter()
        np.fft.fft(data)
        return time.perf_counter() - start
    start = time.perf_counter()
    np.convolve(data, data)
    return time.perf_counter() - start
