"""Benchmark full pretraining steps of a config on synthetic batches.

The model is built from the config through MMAction2's registry, the
optimizer wrapper with MMEngine's ``build_optim_wrapper`` (so the config's
AdamW, parameter-wise settings and gradient clipping are used), and every
timed step is exactly what the runner does in one training iteration:
``model.train_step`` (data preprocessor, teacher targets, student, decoder,
loss, ``optim_wrapper.update_params`` with gradient clipping) followed by the
EMA update of the teacher (``ema_update``, as ``EMATeacherHook`` does).
With ``--accumulate N`` a step is N such iterations of ``batch-size / N``
samples under MMEngine's gradient accumulation (``accumulative_counts``),
the optimizer and the EMA stepping after the last.

Batches are synthetic but shaped and masked like real ones: smooth
random-walk skeletons with the config's clip length, joints and persons
(optionally with the second person all-zero in about half the samples, as in
NTU RGB+D), masked by the config's ``MotionAwareTubeMasking`` transform and
packed by its ``PackActionInputs``.

Printed: seconds per step (median, min, max), samples per second, peak
memory (``ru_maxrss`` of this process, which includes the interpreter and the
imports, and its increase over the RSS before the model was built; on GPUs
the peak allocated memory), a per-phase breakdown timed at synchronized phase
boundaries, the achieved GFLOP/s (FLOPs counted with
``torch.utils.flop_counter.FlopCounterMode`` on one step) as a fraction of
this machine's measured fp32 / bf16 matmul rate, and the cost of the data
pipeline per sample. The last line of the output is one JSON object with all
figures.

Examples::

    python tools/analysis/benchmark_pretrain.py \\
        configs/_base_/models/skeleton2vec_stt-8x256.py \\
        configs/_base_/schedules/adamw_cosine_400e.py \\
        --batch-size 32 --threads 2 --iters 5 --warmup 2
    python tools/analysis/benchmark_pretrain.py CONFIG --amp-dtype bf16
    python tools/analysis/benchmark_pretrain.py CONFIG --device cuda \\
        --amp-dtype bf16 --compile

Several config files are composed as the ``_base_`` list of a temporary
config (MMEngine refuses a key defined in two of them), so a model config
and a schedule config can be benchmarked without a full config. The
harness is ``mmskel2vec.benchmark``; this file is its command line.
"""
import argparse
import json
import os
import sys
from typing import Any, Dict, Optional, Sequence

try:
    import mmskel2vec  # noqa: F401  (applies the compat fixes, registers)
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(
        0, os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))))
    import mmskel2vec  # noqa: F401

from mmskel2vec.benchmark import (AMP_DTYPES, format_report,  # noqa: E402
                                  run_benchmark)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command line of the benchmark."""
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(
        description='Time full Skeleton2vec pretraining steps on synthetic '
        'batches shaped by a config.')
    parser.add_argument('config', nargs='+',
                        help='config file(s), merged in order')
    parser.add_argument('--batch-size', type=int, default=32,
                        help='samples per optimizer step')
    parser.add_argument('--accumulate', type=int, default=1,
                        help='split each step into this many train steps '
                        'of batch-size / accumulate samples with MMEngine '
                        'gradient accumulation (optim_wrapper.'
                        'accumulative_counts): the CPU memory lever')
    parser.add_argument('--iters', type=int, default=5,
                        help='timed steps')
    parser.add_argument('--warmup', type=int, default=2,
                        help='untimed steps first')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch intra-op threads (default: torch\'s)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--amp-dtype', choices=sorted(AMP_DTYPES),
                        default='none')
    parser.add_argument('--compile', action='store_true',
                        help='torch.compile the transformer blocks')
    parser.add_argument('--num-views', type=int, default=None,
                        help='masked views per sample (default: config)')
    parser.add_argument('--persons-present', choices=('1', '2', 'mixed'),
                        default='2',
                        help="'mixed': second person all-zero in half the "
                        'samples')
    parser.add_argument('--clip-len', type=int, default=None,
                        help='override frames per clip')
    parser.add_argument('--num-joints', type=int, default=None,
                        help='override joints')
    parser.add_argument('--num-person', type=int, default=None,
                        help='override person slots')
    parser.add_argument('--num-batches', type=int, default=4,
                        help='distinct synthetic batches cycled through')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--no-flops', action='store_true',
                        help='skip the FLOP-counting step')
    parser.add_argument('--no-matmul', action='store_true',
                        help='skip measuring the matmul rates')
    parser.add_argument('--matmul-size', type=int, default=None,
                        help='side of the square matmul (default 4096, '
                        '8192 on GPUs)')
    parser.add_argument('--pipeline-samples', type=int, default=30,
                        help='samples for the data pipeline timing (0: skip)')
    parser.add_argument('--raw-frames', type=int, default=100,
                        help='frames of a raw sample for pipeline timing')
    parser.add_argument('--default-malloc', action='store_true',
                        help='leave the allocator alone (by default on CPU '
                        'freed memory is kept for reuse, as the '
                        'RetainFreedMemoryHook of the configs does)')
    parser.add_argument('--profile', action='store_true',
                        help='print a torch.profiler table of one step')
    parser.add_argument('--quiet', action='store_true',
                        help='print only the JSON line')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, e.g. '
        'optim_wrapper.optimizer.foreach=True')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Command-line entry point; prints the tables and the JSON line."""
    args = parse_args(argv)
    result = run_benchmark(args)
    if not args.quiet:
        print(format_report(result))
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    main()
