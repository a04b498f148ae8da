"""Train (pretrain or fine-tune) a model from an MMAction2-style config.

Usage:
    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
        [--cfg-options KEY=VALUE ...] [--launcher {none,pytorch,slurm,mpi}]
"""
import argparse
import os
import os.path as osp
import sys

import torch

try:
    import mmskel2vec  # noqa: F401  (applies the compat fixes, registers)
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    import mmskel2vec  # noqa: F401

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from mmskel2vec.compat import apply_tool_fixes
from mmskel2vec.engine.optim_wrappers import mixed_precision
from mmskel2vec.utils import shutdown_distributed


def parse_args() -> argparse.Namespace:
    """Command-line flags, compatible with MMAction2's tools/train.py."""
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='dir to save logs and checkpoints')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or without a value from '
        'the latest checkpoint in the work dir')
    parser.add_argument(
        '--amp', action='store_true',
        help='mixed precision: AmpOptimWrapper on GPUs, bf16 autocast '
        '(AutocastOptimWrapper) on CPUs with native bf16')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual global batch size')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--diff-rank-seed',
        action='store_true',
        help='use a different seed on every rank')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='set deterministic options for the CUDNN backend')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. train_dataloader.batch_size=8')
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


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command-line flags to the config."""
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if args.amp:
        # MMEngine's AmpOptimWrapper asserts a GPU: elsewhere bf16 autocast
        # through the divergence-guarded wrapper, refused where emulated
        cfg.optim_wrapper = mixed_precision(
            cfg.optim_wrapper, 'cuda' if torch.cuda.is_available() else 'cpu')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', {})['enable'] = True
    randomness = cfg.setdefault('randomness', {})
    if args.seed is not None:
        randomness['seed'] = args.seed
    if args.diff_rank_seed:
        randomness['diff_rank_seed'] = True
    if args.deterministic:
        randomness['deterministic'] = True
    return cfg


def main() -> None:
    """Build the runner from the config and train."""
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    apply_tool_fixes()  # URL checkpoints weights-only; gloo on CPU
    runner = Runner.from_cfg(cfg)
    runner.train()
    last = osp.join(cfg.work_dir, 'last_checkpoint')
    if runner.rank == 0 and osp.exists(last):
        with open(last) as f:
            print(f'Training finished. Latest checkpoint: {f.read().strip()}')


if __name__ == '__main__':
    try:
        main()
    finally:
        shutdown_distributed()
