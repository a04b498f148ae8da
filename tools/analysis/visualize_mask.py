"""Draw the motion-aware tube mask of one training sample to a PNG.

One panel per tube shows the skeleton at the middle frame of the tube, with
the joints the model must predict (masked) as red crosses and the visible
joints as dots. Inside a tube the same joints stay masked in every frame.

Usage:
    python tools/analysis/visualize_mask.py CONFIG [--index 0] [--seed 0]
        [--layout nturgb+d] [--out mask.png] [--cfg-options ...]
"""
import argparse
import os.path as osp
import sys
from typing import Sequence, Tuple

import numpy as np

try:
    import mmskel2vec  # noqa: F401
except ImportError:
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    import mmskel2vec  # noqa: F401

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

from mmaction.registry import DATASETS  # noqa: E402
from mmskel2vec.datasets.layouts import get_layout  # noqa: E402
from mmskel2vec.datasets.transforms.masking import tube_bounds  # noqa: E402


def parse_args() -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='pretraining config')
    parser.add_argument('--index', type=int, default=0, help='sample index')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the augmentation and the mask')
    parser.add_argument('--view', type=int, default=0,
                        help='which masked view to draw')
    parser.add_argument('--layout', default='nturgb+d',
                        help='joint layout for the bones')
    parser.add_argument('--out', default='mask.png', help='output PNG')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def load_sample(cfg: Config, index: int,
                seed: int) -> Tuple[np.ndarray, np.ndarray, str]:
    """Run the training pipeline on one sample.

    Returns:
        tuple: keypoint ``(M, T, V, C)``, mask ``(views, M, T', V)`` and
        the sample name.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    if not 0 <= index < len(dataset):
        raise IndexError(f'--index {index} outside the dataset of '
                         f'{len(dataset)} samples')
    np.random.seed(seed)
    packed = dataset[index]
    sample = packed['data_samples']
    if 'mask' not in sample:
        raise ValueError('the training pipeline of this config draws no mask'
                         ' (MotionAwareTubeMasking is missing)')
    keypoint = packed['inputs'].numpy()[0]
    name = sample.metainfo.get('frame_dir', f'sample {index}')
    return keypoint, np.asarray(sample.mask), name


def plane_axes(keypoint: np.ndarray) -> Tuple[int, int]:
    """(horizontal, vertical) axes: the two widest extents, tallest up."""
    valid = keypoint[np.abs(keypoint).sum(-1) > 0]
    extent = valid.max(0) - valid.min(0)
    order = np.argsort(extent)[::-1]
    return int(order[1]), int(order[0])


def masking_tube_len(cfg: Config) -> int:
    """``tube_len`` of the MotionAwareTubeMasking in the training pipeline."""
    for step in cfg.train_dataloader.dataset.get('pipeline', []):
        if step.get('type') == 'MotionAwareTubeMasking':
            return int(step.get('tube_len', 5))
    raise ValueError('the training pipeline of this config has no '
                     'MotionAwareTubeMasking')


def draw(keypoint: np.ndarray, mask: np.ndarray, tube_len: int,
         bones: Sequence[Tuple[int, int]], name: str, out: str) -> None:
    """Draw one panel per tube and save to ``out``."""
    num_t = mask.shape[1]
    t_patch = keypoint.shape[1] // num_t
    tubes = tube_bounds(num_t, tube_len)
    persons = [m for m in range(keypoint.shape[0]) if keypoint[m].any()]
    hx, vy = plane_axes(keypoint[persons])
    fig, axes = plt.subplots(
        1, len(tubes), figsize=(2.2 * len(tubes), 3.2), squeeze=False)
    colors = ['tab:blue', 'tab:green']
    for ax, (start, stop) in zip(axes[0], tubes):
        frame = ((start + stop) * t_patch) // 2
        for m in persons:
            pts = keypoint[m, frame]
            masked = mask[m, (start + stop) // 2]
            for i, j in bones:
                ax.plot(pts[[i, j], hx], pts[[i, j], vy], '-',
                        color=colors[m % 2], lw=1, alpha=0.6)
            ax.scatter(pts[~masked, hx], pts[~masked, vy], s=14,
                       color=colors[m % 2], zorder=3)
            ax.scatter(pts[masked, hx], pts[masked, vy], s=22, marker='x',
                       color='red', zorder=4)
        ax.set_title(f'tube {start}-{stop - 1}\nframe {frame}', fontsize=8)
        ax.set_aspect('equal')
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f'{name}: x = masked joints (predicted), dots = visible; '
                 f'{int(mask[persons[0], 0].sum())}/{mask.shape[-1]} joints '
                 'masked per tube', fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main() -> None:
    """Load the sample, draw its mask, print where the PNG is."""
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    tube_len = masking_tube_len(cfg)
    keypoint, mask, name = load_sample(cfg, args.index, args.seed)
    if not 0 <= args.view < mask.shape[0]:
        raise IndexError(f'--view {args.view}: the mask has {mask.shape[0]} '
                         'view(s)')
    layout = get_layout(args.layout)
    if layout.num_node != keypoint.shape[2]:
        raise ValueError(f'layout {args.layout!r} has {layout.num_node} '
                         f'joints, the sample has {keypoint.shape[2]}')
    draw(keypoint, mask[args.view], tube_len, layout.inward, name, args.out)
    print(f'Saved the mask of {name} to {osp.abspath(args.out)}')


if __name__ == '__main__':
    main()
