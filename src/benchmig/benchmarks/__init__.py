"""benchmig's built-in benchmark library, importable as a run target.

    migrate list benchmig.benchmarks
    migrate run benchmig.benchmarks --filter 'matmul_*'
    migrate run --suite examples/performance_suite.json

Three public modules register the benchmarks (the loader imports a package's public submodules):

* :mod:`benchmig.benchmarks.inference` (category ``inference``): ``model_inference`` (latency,
  throughput and memory of a torch model over a batch-size grid) and ``model_scenario``
  (single-stream, offline and server scenarios);
* :mod:`benchmig.benchmarks.hardware` (category ``hardware``): ``matmul_gflops``,
  ``matmul_gflops_half``, ``memory_bandwidth``, ``memory_bandwidth_numpy``, ``host_to_device``;
* :mod:`benchmig.benchmarks.resource_pool` (category ``resource_pool``): ``pool_concurrency``,
  ``pool_memory_sharing``, ``pool_error_recovery``.

torch is optional: every module imports without it (``migrate list`` works), and a benchmark that
needs it fails its ``setup`` with a :class:`MissingDependencyError` saying so. See
docs/benchmarks.md.
"""

from __future__ import annotations

from benchmig.benchmarks._common import MissingDependencyError as MissingDependencyError
from benchmig.benchmarks._peaks import DevicePeak as DevicePeak
from benchmig.benchmarks._peaks import cpu_peak_estimate as cpu_peak_estimate
from benchmig.benchmarks._peaks import gpu_peak as gpu_peak

__all__ = ["DevicePeak", "MissingDependencyError", "cpu_peak_estimate", "gpu_peak"]
