"""Checks that turn bad skeleton input into errors naming the sample."""
import numpy as np


def check_keypoint(keypoint: np.ndarray, name: str, min_frames: int = 1,
                   num_joints: int = None) -> None:
    """Raise a ``ValueError`` naming ``name`` if a skeleton is unusable.

    Args:
        keypoint (np.ndarray): Skeleton of shape ``(M, T, V, C)``.
        name (str): Sample identifier (``frame_dir``) used in messages.
        min_frames (int): Fewest frames the consumer can work with.
        num_joints (int, optional): Expected joint count ``V``.

    Raises:
        ValueError: Wrong rank or joint count, fewer than ``min_frames``
            frames, non-finite coordinates or an all-zero sequence.
    """
    if keypoint.ndim != 4:
        raise ValueError(f'{name}: keypoint must have shape (M, T, V, C), '
                         f'got {tuple(keypoint.shape)}')
    num_frames, joints = keypoint.shape[1], keypoint.shape[2]
    if num_joints is not None and joints != num_joints:
        raise ValueError(f'{name}: has {joints} joints, expected '
                         f'{num_joints}')
    if num_frames < min_frames:
        raise ValueError(f'{name}: has {num_frames} frame(s), fewer than the '
                         f'{min_frames} needed')
    if not np.isfinite(keypoint).all():
        bad = int((~np.isfinite(keypoint)).any(axis=(0, 2, 3)).sum())
        raise ValueError(f'{name}: {bad} frame(s) hold non-finite (NaN/inf) '
                         'coordinates')
    if not keypoint.any():
        raise ValueError(f'{name}: all coordinates are zero (no skeleton)')
