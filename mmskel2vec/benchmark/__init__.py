"""The pretraining benchmark behind ``tools/analysis/benchmark_pretrain.py``.

``synthetic_batches``: config-shaped, masked synthetic batches;
``measurements``: memory, CPU load, page faults, phases and FLOPs;
``pretrain_step``: ``run_benchmark`` and ``format_report``.
``gpu_benchmark`` (behind ``tools/analysis/benchmark_gpu.py``) sweeps that
benchmark over batch sizes and modes in fresh processes and adds the data
loader's rate (``loader_throughput``) and a short ``tools/train.py`` run.
"""
from .pretrain_step import AMP_DTYPES, format_report, run_benchmark

__all__ = ['AMP_DTYPES', 'format_report', 'run_benchmark']
