"""How often the student sees each joint under a pretraining config's mask.

Runs the training pipeline of a pretraining config (augmentation and
``MotionAwareTubeMasking``) over the whole training set, ``--epochs`` times,
and reports for every joint the fraction of its tokens left visible, next
to the uniform rate ``1 - masked joints / joints``. A motion prior masks
moving joints more often, so they are visible less often: when a joint is
almost never visible, the student almost never gets it as input, and a
frozen encoder meets it mostly untrained at evaluation time.

Usage:
    python tools/analysis/mask_statistics.py CONFIG [--epochs 2] [--seed 0]
        [--layout NAME] [--out visibility.csv] [--cfg-options ...]

The layout (for the joint names) defaults to the config's ``layout``
variable; without one the joints are numbered.
"""
import argparse
import csv
import os.path as osp
import sys
from typing import List, Optional, Sequence

import numpy as np

try:
    import mmskel2vec  # noqa: F401
except ImportError:
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    import mmskel2vec  # noqa: F401

from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.utils import ProgressBar  # noqa: E402

from mmaction.registry import DATASETS  # noqa: E402
from mmskel2vec.datasets.layouts import get_layout  # noqa: E402


def parse_args() -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='pretraining config')
    parser.add_argument('--epochs', type=int, default=2,
                        help='passes over the training set')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the augmentation and the masks')
    parser.add_argument('--layout', default=None,
                        help="joint layout for the names (default: the "
                        "config's `layout`)")
    parser.add_argument('--out', default=None, help='also write a CSV here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def joint_visibility(masks: np.ndarray) -> np.ndarray:
    """Fraction of visible tokens per joint.

    Args:
        masks (np.ndarray): Bool masks ``(..., V)``, ``True`` = masked,
            for any number of samples, views, persons and time tokens.

    Returns:
        np.ndarray: ``(V,)`` visible fraction of each joint.
    """
    masks = np.asarray(masks, dtype=bool)
    return (~masks).reshape(-1, masks.shape[-1]).mean(0)


def collect_masks(cfg: Config, epochs: int, seed: int) -> np.ndarray:
    """Masks of every training sample, ``epochs`` times.

    Returns:
        np.ndarray: Bool ``(epochs * samples, views, M, T', V)``.
    """
    if epochs < 1:
        raise ValueError(f'--epochs must be >= 1, got {epochs}')
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    np.random.seed(seed)
    masks: List[np.ndarray] = []
    progress = ProgressBar(epochs * len(dataset))
    for _ in range(epochs):
        for index in range(len(dataset)):
            sample = dataset[index]['data_samples']
            if 'mask' not in sample:
                raise ValueError(
                    'the training pipeline of this config draws no mask '
                    '(MotionAwareTubeMasking is missing)')
            masks.append(np.asarray(sample.mask))
            progress.update()
    sys.stdout.write('\n')
    return np.stack(masks)


def joint_names(layout: Optional[str], num_joints: int) -> Sequence[str]:
    """Names of the joints, or their indices without a layout."""
    if layout is None:
        return [str(j) for j in range(num_joints)]
    names = get_layout(layout).joint_names
    if len(names) != num_joints:
        raise ValueError(f'layout {layout!r} has {len(names)} joints, the '
                         f'masks have {num_joints}')
    return names


def main() -> None:
    """Collect the masks, print (and save) the visibility per joint."""
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    masks = collect_masks(cfg, args.epochs, args.seed)
    visible = joint_visibility(masks)
    names = joint_names(args.layout or cfg.get('layout'), len(visible))
    # every token row masks the same number of joints
    uniform = 1.0 - masks[(0, ) * (masks.ndim - 1)].sum() / masks.shape[-1]
    print(f'{len(masks)} masks ({args.epochs} epoch(s)); uniform visible '
          f'rate {uniform:.3f}')
    print(f"{'joint':<20} {'visible':>8} {'/ uniform':>10}")
    rows = sorted(zip(names, visible), key=lambda r: -r[1])
    for name, rate in rows:
        print(f'{name:<20} {rate:8.3f} {rate / uniform:10.2f}')
    if args.out:
        with open(args.out, 'w', newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['joint', 'visible', 'relative_to_uniform'])
            for name, rate in rows:
                writer.writerow([name, f'{rate:.5f}', f'{rate / uniform:.4f}'])
        print(f'Saved to {osp.abspath(args.out)}')


if __name__ == '__main__':
    main()
