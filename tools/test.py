"""Evaluate a checkpoint with an MMAction2-style config.

Usage:
    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--dump FILE]
        [--cfg-options KEY=VALUE ...] [--launcher {none,pytorch,slurm,mpi}]
"""
import argparse
import os
import os.path as osp
import sys

try:
    import mmskel2vec  # noqa: F401  (applies the compat fixes, registers)
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    import mmskel2vec  # noqa: F401

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from mmskel2vec.compat import apply_tool_fixes
from mmskel2vec.utils import shutdown_distributed


def parse_args() -> argparse.Namespace:
    """Command-line flags, compatible with MMAction2's tools/test.py."""
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='dir to save evaluation logs')
    parser.add_argument(
        '--dump', type=str, help='dump predictions to a pickle file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main() -> None:
    """Build the runner, load the checkpoint and run the test loop."""
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError('--dump must name a .pkl or .pickle file')
        dump_metric = dict(type='DumpResults', out_file_path=args.dump)
        evaluator = cfg.test_evaluator
        cfg.test_evaluator = (list(evaluator) if isinstance(
            evaluator, (list, tuple)) else [evaluator]) + [dump_metric]
    apply_tool_fixes()  # URL checkpoints weights-only; gloo on CPU
    runner = Runner.from_cfg(cfg)
    runner.test()


if __name__ == '__main__':
    try:
        main()
    finally:
        shutdown_distributed()
