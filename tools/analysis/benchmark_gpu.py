"""One-command GPU benchmark of the paper's pretraining configuration.

Runs, each in a fresh process:

1. ``benchmark_pretrain.py`` at every batch size (default 64, 128, 256) in
   every mode (fp32, bf16 autocast, bf16 + ``torch.compile`` of the blocks):
   samples/s, max allocated memory, achieved TFLOP/s and its fraction of the
   GPU's dense bf16 peak (looked up from the device name, else measured with
   a large bf16 matmul);
2. the config's real training data loader (``CheckedPoseDataset`` and the
   pretraining pipeline) over an NTU-shaped annotation file written from the
   embedded synthetic generator, with 4, 8 and 16 workers: samples/s against
   the model's appetite;
3. ``tools/train.py`` for 200 iterations on that file (``--amp``
   on GPUs), and how far the full loop (data loader, hooks, logging,
   checkpointing) falls behind the benchmark's step rate at the same batch;

then projects the wall time of the 800-epoch NTU-60 pretraining (40,091
training clips) on 1 and 8 GPUs (8: perfect scaling assumed, an upper
bound). Prints a markdown report and writes it, with every raw result, to
``--out`` (``report.md``, ``results.json``).

Usage (about 8 minutes on one H100-class GPU):
    python tools/analysis/benchmark_gpu.py [--out work_dirs/benchmark_gpu]

On CPU, with a tiny configuration, the same code runs in CI:
    python tools/analysis/benchmark_gpu.py --device cpu --batch-sizes 2
        --modes fp32 --workers 0 1 --train-iters 4 --config DEMO_CONFIG

The sweep is ``mmskel2vec.benchmark.gpu_benchmark``; this file is its
command line.
"""
import argparse
import json
import os.path as osp
import sys
from typing import Dict, List, Optional

try:
    import mmskel2vec  # noqa: F401  (applies the compat fixes, registers)
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    import mmskel2vec  # noqa: F401

from mmskel2vec.benchmark.gpu_benchmark import (MODES, report,  # noqa: E402
                                                run_all)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAPER = osp.join(REPO, 'configs', 'skeleton2vec',
                 'skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=PAPER)
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--batch-sizes', type=int, nargs='+',
                        default=[64, 128, 256])
    parser.add_argument('--modes', nargs='+', choices=sorted(MODES),
                        default=list(MODES))
    parser.add_argument('--iters', type=int, default=10,
                        help='timed steps per benchmark run')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--workers', type=int, nargs='+', default=[4, 8, 16],
                        help='data loader workers to measure')
    parser.add_argument('--loader-batches', type=int, default=20)
    parser.add_argument('--train-iters', type=int, default=200,
                        help='iterations of the real tools/train.py run')
    parser.add_argument('--train-batch', type=int, default=None,
                        help='batch of that run (default: the largest '
                        'benchmarked batch that fit)')
    parser.add_argument('--samples', type=int, default=512,
                        help='clips in the NTU-shaped annotation file')
    parser.add_argument('--out', default='work_dirs/benchmark_gpu')
    parser.add_argument('--timeout', type=int, default=600,
                        help='seconds per child process')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value overrides passed to every run')
    parser.set_defaults(repo=REPO)  # where tools/ is, for the children
    return parser.parse_args(argv)



def main(argv: Optional[List[str]] = None) -> Dict:
    """Run the sweep, print and write the report; return the results."""
    args = parse_args(argv)
    results = run_all(args)
    text = report(results)
    print(text)
    with open(osp.join(args.out, 'report.md'), 'w') as f:
        f.write(text)
    with open(osp.join(args.out, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    return results


if __name__ == '__main__':
    main()
