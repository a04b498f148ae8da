"""Synthetic pretraining batches shaped and masked like a config's data.

Smooth random-walk skeletons with the config's clip length, joints and
persons (optionally the second person all-zero in about half the samples,
as in NTU RGB+D), masked by the config's ``MotionAwareTubeMasking`` and
packed by its ``PackActionInputs``: what ``benchmark_pretrain.py`` times.
"""
import copy
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

MASKING = 'MotionAwareTubeMasking'


def _dataset_pipelines(dataset: Optional[dict]) -> List[list]:
    """Pipelines of a (possibly wrapped) dataset config, outermost first."""
    found = []
    while isinstance(dataset, dict):
        if isinstance(dataset.get('pipeline'), list):
            found.append(dataset['pipeline'])
        dataset = dataset.get('dataset')
    return found


def find_pipeline(cfg) -> Tuple[Optional[list], str]:
    """The config's pretraining pipeline: the first with tube masking.

    Looks at the train dataloader's dataset (and wrapped datasets), then the
    ``pretrain_pipeline`` and ``train_pipeline`` variables.

    Returns:
        tuple: The pipeline (a list of transform dicts, or None when the
        config has none with ``MotionAwareTubeMasking``) and where it was
        found.
    """
    candidates = [('train_dataloader.dataset', p) for p in
                  _dataset_pipelines(cfg.get('train_dataloader', {}).get(
                      'dataset'))]
    for name in ('pretrain_pipeline', 'train_pipeline'):
        if isinstance(cfg.get(name), list):
            candidates.append((name, cfg.get(name)))
    for where, pipeline in candidates:
        if any(t.get('type') == MASKING for t in pipeline):
            return pipeline, where
    return None, 'none'


def default_pipeline(backbone: dict) -> list:
    """Minimal pretraining pipeline for configs that have none."""
    return [
        dict(type='FormatGCNInput', num_person=2),
        dict(type=MASKING, t_patch=backbone.get('t_patch', 4)),
        dict(type='PackActionInputs', algorithm_keys=('mask', ),
             meta_keys=('frame_dir', )),
    ]


def override_pipeline_shape(pipeline: list,
                            clip_len: Optional[int] = None,
                            num_person: Optional[int] = None) -> None:
    """Set the clip length and person slots of a pipeline, in place."""
    for transform in pipeline:
        if clip_len is not None and 'clip_len' in transform:
            transform['clip_len'] = clip_len
        if num_person is not None and \
                transform.get('type') == 'FormatGCNInput':
            transform['num_person'] = num_person


def override_shape(cfg,
                   clip_len: Optional[int] = None,
                   num_joints: Optional[int] = None,
                   num_person: Optional[int] = None) -> None:
    """Change the clip length, joints or persons consistently, in place.

    The backbone's ``clip_len`` / ``num_joints``, the head's
    ``num_tokens_t`` / ``num_joints``, and the config's pipelines (temporal
    crop ``clip_len``, ``FormatGCNInput`` persons) are all updated, so a
    scaling study varies one factor without editing configs.
    """
    model = cfg.model
    backbone, head = model.get('backbone', {}), model.get('head', {})
    t_patch = backbone.get('t_patch', 4)
    is_s2v_head = head.get('type') == 'Skeleton2VecHead'
    if clip_len is not None:
        if clip_len % t_patch:
            raise ValueError(f'clip_len={clip_len} is not a multiple of '
                             f't_patch={t_patch}')
        backbone['clip_len'] = clip_len
        if 'num_tokens_t' in head or is_s2v_head:
            head['num_tokens_t'] = clip_len // t_patch
    if num_joints is not None:
        backbone['num_joints'] = num_joints
        if 'num_joints' in head or is_s2v_head:
            head['num_joints'] = num_joints
    pipelines = _dataset_pipelines(cfg.get('train_dataloader', {}).get(
        'dataset'))
    pipelines += [cfg.get(n) for n in ('pretrain_pipeline', 'train_pipeline')
                  if isinstance(cfg.get(n), list)]
    for pipeline in pipelines:
        override_pipeline_shape(pipeline, clip_len, num_person)


def batch_shape(cfg, pipeline: list) -> Dict[str, int]:
    """Clip length, joints, channels and persons of a training sample."""
    backbone = cfg.model.get('backbone', {})
    num_person = 2
    for transform in pipeline:
        if transform.get('type') == 'FormatGCNInput':
            num_person = transform.get('num_person', 2)
    return dict(
        clip_len=int(backbone.get('clip_len', 120)),
        num_joints=int(backbone.get('num_joints', 25)),
        in_channels=int(backbone.get('in_channels', 3)),
        num_person=int(num_person))


def random_walk_skeletons(rng: np.random.Generator,
                          num_samples: int,
                          num_person: int,
                          num_frames: int,
                          num_joints: int,
                          channels: int = 3,
                          persons_present: str = 'mixed') -> np.ndarray:
    """Smooth random-walk skeleton sequences.

    Every joint starts from a body-sized random layout (metres) and follows
    a damped random walk of its velocity, so motion is smooth like captured
    skeletons rather than white noise (which would make the motion-aware
    mask meaningless).

    Args:
        rng (np.random.Generator): Random generator.
        num_samples (int): Sequences ``N``.
        num_person (int): Person slots ``M``.
        num_frames (int): Frames ``T``.
        num_joints (int): Joints ``V``.
        channels (int): Coordinates ``C``. Defaults to 3.
        persons_present (str): ``'2'``: every person slot holds a person;
            ``'1'``: only the first, the others are all-zero padding;
            ``'mixed'``: the second person is all-zero in ``N // 2`` samples
            chosen at random (NTU RGB+D is mostly one-person).

    Returns:
        np.ndarray: float32 ``(N, M, T, V, C)``.
    """
    shape = (num_samples, num_person, num_frames, num_joints, channels)
    layout = rng.normal(0.0, 0.3, (num_samples, num_person, 1, num_joints,
                                   channels))
    layout[:, :, :, :, 0] += np.arange(num_person)[None, :, None, None]
    accel = rng.normal(0.0, 2e-3, shape)
    velocity = np.empty(shape)
    velocity[:, :, 0] = accel[:, :, 0]
    for t in range(1, num_frames):  # damped: the walk stays body-sized
        velocity[:, :, t] = 0.95 * velocity[:, :, t - 1] + accel[:, :, t]
    skeletons = layout + np.cumsum(velocity, axis=2)
    if num_person > 1:
        if persons_present == '1':
            skeletons[:, 1:] = 0.0
        elif persons_present == 'mixed':
            empty = rng.choice(num_samples, num_samples // 2, replace=False)
            skeletons[empty, 1:] = 0.0
        elif persons_present != '2':
            raise ValueError(f'persons_present must be 1, 2 or mixed, got '
                             f'{persons_present!r}')
    return skeletons.astype(np.float32)


def build_transforms(pipeline: list, num_views: Optional[int] = None
                     ) -> Tuple[Callable, Callable, Optional[Callable]]:
    """Build the masking transform, the packing tail and the full pipeline.

    Args:
        pipeline (list): Transform configs containing the masking transform.
        num_views (int, optional): Override of the masking ``num_views``.

    Returns:
        tuple: ``(masking, tail, full)``: the masking transform, a callable
        running the masking and every later transform (packing), and the
        whole pipeline.
    """
    from mmengine.dataset import Compose
    from mmaction.registry import TRANSFORMS
    pipeline = copy.deepcopy(list(pipeline))
    index = next(i for i, t in enumerate(pipeline) if t['type'] == MASKING)
    if num_views is not None:
        pipeline[index]['num_views'] = num_views
    if not any(t['type'] == 'PackActionInputs' for t in pipeline[index:]):
        pipeline.append(
            dict(type='PackActionInputs', algorithm_keys=('mask', ),
                 meta_keys=('frame_dir', )))
    masking = TRANSFORMS.build(pipeline[index])
    tail = Compose([masking] + [TRANSFORMS.build(t)
                                for t in pipeline[index + 1:]])
    full = Compose([TRANSFORMS.build(t) for t in pipeline])
    return masking, tail, full


def make_batch(skeletons: np.ndarray, tail: Callable,
               offset: int = 0) -> dict:
    """Mask and pack skeletons ``(N, M, T, V, C)`` into a collated batch.

    Returns:
        dict: ``inputs`` (list of ``(1, M, T, V, C)`` tensors) and
        ``data_samples``, as ``pseudo_collate`` gives the data preprocessor.
    """
    from mmengine.dataset import pseudo_collate
    samples = []
    for i, keypoint in enumerate(skeletons):
        results = dict(
            keypoint=np.ascontiguousarray(keypoint[None]),
            frame_dir=f'synthetic_{offset + i:06d}',
            total_frames=keypoint.shape[1],
            label=0,
            start_index=0)
        samples.append(tail(results))
    return pseudo_collate(samples)


def raw_samples(rng: np.random.Generator, count: int, frames: int,
                shape: Dict[str, int], persons_present: str) -> List[dict]:
    """Unprocessed samples (as a dataset yields them) for pipeline timing."""
    skeletons = random_walk_skeletons(rng, count, shape['num_person'],
                                      frames, shape['num_joints'],
                                      shape['in_channels'], persons_present)
    samples = []
    for i, keypoint in enumerate(skeletons):
        present = keypoint.reshape(len(keypoint), -1).any(1)
        keypoint = keypoint[present] if present.any() else keypoint[:1]
        samples.append(
            dict(keypoint=np.ascontiguousarray(keypoint),
                 total_frames=frames, frame_dir=f'raw_{i:06d}', label=0,
                 start_index=0))
    return samples
