"""Recognize the action of one 3D skeleton sequence with a trained model.

Reads one sequence (an NTU ``.skeleton`` file, an N-UCLA ``.json``, a
UTD-MHAD ``.mat``, an MSR Action3D ``.txt``, or one sample of an annotation
``.pkl``), runs MMAction2's ``init_recognizer`` / ``inference_recognizer``
with the config's ``test_pipeline`` and prints the top-5 classes. With
``--out clip.gif`` (or ``.mp4``) it also renders the skeleton with the
predicted label; with ``--mask PRETRAIN_CONFIG`` the animation shows the
pretraining mask of that config's training pipeline instead (masked joints
as red crosses, tube by tube).

Usage:
    python demo/demo_skeleton3d.py CONFIG CHECKPOINT INPUT [--index N |
        --frame-dir NAME] [--label-map FILE] [--top-k 5] [--device cpu]
        [--out clip.gif] [--mask PRETRAIN_CONFIG] [--seed 0] [--fps 15]
"""
import argparse
import copy
import os.path as osp
import sys
from typing import List, Optional

import numpy as np
import torch

try:
    import mmskel2vec  # noqa: F401  (applies the compat fixes, registers)
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    import mmskel2vec  # noqa: F401

from mmengine.config import Config  # noqa: E402
from mmengine.dataset import Compose  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

from mmaction.apis import inference_recognizer, init_recognizer  # noqa: E402
from mmskel2vec.datasets.annotation_file import (  # noqa: E402
    AnnotationFileError, load_annotation_file)
from mmskel2vec.datasets.layouts import get_layout  # noqa: E402
from mmskel2vec.datasets.sequence_reader import read_sequence  # noqa: E402
from mmskel2vec.visualization import render_skeleton_animation  # noqa: E402


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='recognizer config (fine-tuned)')
    parser.add_argument('checkpoint', help='recognizer checkpoint')
    parser.add_argument('input', help='.skeleton, .json, .mat, .txt or .pkl')
    parser.add_argument('--index', type=int, help='sample index of a .pkl')
    parser.add_argument('--frame-dir', help='sample name in a .pkl')
    parser.add_argument('--label-map', help='class names, one per line')
    parser.add_argument('--top-k', type=int, default=5)
    parser.add_argument('--device', default='cuda:0'
                        if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--out', help='animation to write (.gif or .mp4)')
    parser.add_argument('--mask', metavar='PRETRAIN_CONFIG',
                        help='draw the pretraining mask of this config')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the mask (and its augmentation)')
    parser.add_argument('--fps', type=int, default=15)
    return parser.parse_args(argv)


def class_names(cfg: Config, sample: dict, label_map: Optional[str],
                num_classes: int) -> List[str]:
    """Names from --label-map, the sample's file, the config's data, or ids.
    """
    names = None
    if label_map:
        with open(label_map) as f:
            names = [line.strip() for line in f if line.strip()]
    elif sample.get('class_names'):
        names = sample['class_names']
    else:
        dataset = (cfg.get('test_dataloader') or {}).get('dataset', {})
        dataset = dataset.get('dataset', dataset)
        if dataset.get('ann_file') and osp.exists(dataset['ann_file']):
            try:
                data = load_annotation_file(dataset['ann_file'])
                names = data.get('class_names') if isinstance(data,
                                                              dict) else None
            except AnnotationFileError:
                names = None
        elif dataset.get('type') == 'SyntheticSkeletonDataset':
            from mmskel2vec.datasets.synthetic_dataset import \
                SYNTHETIC_CLASSES
            names = list(SYNTHETIC_CLASSES)
    names = list(names or [])
    return names + [f'class {i}' for i in range(len(names), num_classes)]


def bones_for(cfg: Config, num_joints: int):
    """Bones of the config's ``layout``, else of the joint count's layout."""
    name = cfg.get('layout') or ('nturgb+d' if num_joints == 25 else
                                 'kinect_v1')
    layout = get_layout(name)
    if layout.num_node != num_joints:
        raise ValueError(f'layout {name!r} has {layout.num_node} joints, '
                         f'the sequence {num_joints}')
    return layout.inward


def with_dataset_layout(sample: dict, dataset_cfg: dict) -> dict:
    """The sample with the joint layout its config's dataset would add.

    ``CheckedPoseDataset(layout=...)`` hands ``layout`` to every sample it
    loads (``PreNormalize3DLayout()`` reads it); a sequence read here does
    not pass through the dataset, so it gets the layout from the config.
    """
    layout = dataset_cfg.get('layout') if dataset_cfg else None
    return dict(sample, layout=layout) if layout else dict(sample)


def masked_view(mask_config: str, sample: dict, seed: int):
    """Keypoints after the pretraining pipeline and their per-frame mask."""
    cfg = Config.fromfile(mask_config)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    pipeline = Compose(cfg.train_dataloader.dataset.pipeline)
    np.random.seed(seed)
    packed = pipeline(with_dataset_layout(
        copy.deepcopy(sample), cfg.train_dataloader.dataset))
    if 'mask' not in packed['data_samples']:
        raise ValueError(f'{mask_config}: its training pipeline draws no '
                         'mask (MotionAwareTubeMasking is missing)')
    keypoint = packed['inputs'].numpy()[0]  # (M, T, V, C)
    mask = np.asarray(packed['data_samples'].mask)[0]  # (M, T', V)
    t_patch = keypoint.shape[1] // mask.shape[1]
    return cfg, keypoint, np.repeat(mask, t_patch, axis=1), t_patch


def main(argv: Optional[List[str]] = None) -> List[tuple]:
    """Print the top-k classes (and write the animation); return them."""
    args = parse_args(argv)
    sample = read_sequence(args.input, args.index, args.frame_dir)
    cfg = Config.fromfile(args.config)
    model = init_recognizer(cfg, args.checkpoint, device=args.device)
    raw = with_dataset_layout(
        {k: v for k, v in sample.items() if k != 'class_names'},
        (cfg.get('test_dataloader') or {}).get('dataset'))
    result = inference_recognizer(model, copy.deepcopy(raw))
    scores = result.pred_score.float().cpu()
    names = class_names(cfg, sample, args.label_map, len(scores))
    top = torch.topk(scores, min(args.top_k, len(scores)))
    ranked = [(int(i), names[int(i)], float(s))
              for s, i in zip(top.values, top.indices)]
    print(f'{sample["frame_dir"]}: {sample["keypoint"].shape[0]} person(s),'
          f' {sample["keypoint"].shape[1]} frames, '
          f'{sample["keypoint"].shape[2]} joints')
    for rank, (label, name, score) in enumerate(ranked, 1):
        print(f'{rank}. {name} (label {label}): {score:.4f}')
    if args.out:
        label = f'{ranked[0][1]} ({ranked[0][2]:.2f})'
        if args.mask:
            mask_cfg, keypoint, masked, t_patch = masked_view(
                args.mask, raw, args.seed)
            title = f'{sample["frame_dir"]}: predicted {label}'
            frames = [f'pretraining mask, token row {t // t_patch}: '
                      f'{int(masked[0, t].sum())}/{masked.shape[-1]} masked'
                      for t in range(keypoint.shape[1])]
            render_skeleton_animation(
                keypoint, bones_for(mask_cfg, keypoint.shape[2]), args.out,
                title, masked=masked, fps=args.fps, frame_titles=frames)
        else:
            keypoint = sample['keypoint']
            render_skeleton_animation(
                keypoint, bones_for(cfg, keypoint.shape[2]), args.out,
                f'{sample["frame_dir"]}: {label}', fps=args.fps)
        print(f'animation written to {args.out}')
    return ranked


if __name__ == '__main__':
    main()
