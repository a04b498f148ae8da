"""Skeleton augmentations used by Skeleton2vec that MMAction2 lacks."""
from typing import Dict, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmaction.registry import TRANSFORMS

from .validation import check_keypoint


def rotation_matrix(angles: np.ndarray) -> np.ndarray:
    """Rotation ``Rz @ Ry @ Rx`` for angles ``(ax, ay, az)`` in radians."""
    cx, cy, cz = np.cos(angles)
    sx, sy, sz = np.sin(angles)
    rot_x = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rot_y = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rot_z = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rot_z @ rot_y @ rot_x


@TRANSFORMS.register_module()
class RandomRotation3D(BaseTransform):
    """Rotate a 3D skeleton by random angles about the x, y and z axes.

    Required keys: ``keypoint`` ``(..., 3)``. Modified keys: ``keypoint``.

    Args:
        max_angle (float | Sequence[float]): Largest absolute angle in
            radians, one for all axes or one per axis. Defaults to 0.3.
    """

    def __init__(self, max_angle: float = 0.3) -> None:
        self.max_angle = np.broadcast_to(
            np.asarray(max_angle, dtype=np.float64), (3, ))

    def transform(self, results: Dict) -> Dict:
        """Apply one random rotation to every person and frame."""
        keypoint = results['keypoint']
        if keypoint.shape[-1] != 3:
            raise ValueError(
                f"{results.get('frame_dir', '<unknown sample>')}: "
                f'RandomRotation3D needs 3D coordinates, got '
                f'{keypoint.shape[-1]} values per joint')
        angles = np.random.uniform(-self.max_angle, self.max_angle)
        rot = rotation_matrix(angles).astype(keypoint.dtype)
        results['keypoint'] = keypoint @ rot.T
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'max_angle={self.max_angle.tolist()})')


def valid_frame_range(keypoint: np.ndarray) -> Sequence[int]:
    """First and one-past-last frame in which any joint is non-zero."""
    nonzero = np.flatnonzero(keypoint.any(axis=(0, 2, 3)))
    if nonzero.size == 0:
        return 0, 0
    return int(nonzero[0]), int(nonzero[-1]) + 1


@TRANSFORMS.register_module()
class RandomTemporalCropResize(BaseTransform):
    """Crop a random share of the valid frames and resize to ``clip_len``.

    The share ``p`` is drawn uniformly from ``p_interval``; with a single
    value the crop is deterministic and centred (evaluation). The crop is
    resized by linear interpolation over time, so short sequences are
    stretched and long ones subsampled. Leading and trailing all-zero frames
    (padding) are ignored.

    Required keys: ``keypoint`` ``(M, T, V, C)``.
    Modified keys: ``keypoint``, ``total_frames``.

    Args:
        clip_len (int): Output frames. Defaults to 120.
        p_interval (Sequence[float]): ``(low, high)`` share of valid frames
            to keep, or ``(p, )`` for a deterministic centre crop.
            Defaults to ``(0.5, 1.0)``.
        min_crop (int): Fewest frames a crop keeps (or all, if fewer are
            valid). Defaults to 1.
    """

    def __init__(self,
                 clip_len: int = 120,
                 p_interval: Sequence[float] = (0.5, 1.0),
                 min_crop: int = 1) -> None:
        p_interval = tuple(float(p) for p in p_interval)
        if len(p_interval) not in (1, 2) or not all(
                0 < p <= 1 for p in p_interval):
            raise ValueError('p_interval must be (p, ) or (low, high) with '
                             f'values in (0, 1], got {p_interval}')
        if clip_len < 1:
            raise ValueError(f'clip_len must be >= 1, got {clip_len}')
        self.clip_len = clip_len
        self.p_interval = p_interval
        self.min_crop = min_crop

    def crop_window(self, num_valid: int) -> Sequence[int]:
        """Offset and length of the crop inside the valid frames."""
        if len(self.p_interval) == 1:
            p = self.p_interval[0]
            length = min(max(int(np.floor(num_valid * p)), self.min_crop),
                         num_valid)
            return (num_valid - length) // 2, length
        p = np.random.uniform(*self.p_interval)
        length = min(max(int(np.floor(num_valid * p)), self.min_crop),
                     num_valid)
        offset = np.random.randint(0, num_valid - length + 1)
        return offset, length

    def transform(self, results: Dict) -> Dict:
        """Crop and resize ``results['keypoint']`` over time."""
        keypoint = results['keypoint']
        name = results.get('frame_dir', '<unknown sample>')
        check_keypoint(keypoint, name)
        start, stop = valid_frame_range(keypoint)
        offset, length = self.crop_window(stop - start)
        crop = keypoint[:, start + offset:start + offset + length]
        results['keypoint'] = resize_time(crop, self.clip_len)
        results['total_frames'] = self.clip_len
        results.pop('frame_inds', None)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'p_interval={self.p_interval}, min_crop={self.min_crop})')


def resize_time(keypoint: np.ndarray, clip_len: int) -> np.ndarray:
    """Linearly resample ``(M, T, V, C)`` to ``(M, clip_len, V, C)``."""
    num_frames = keypoint.shape[1]
    if num_frames == 1:
        return np.repeat(keypoint, clip_len, axis=1)
    pos = np.linspace(0, num_frames - 1, clip_len)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, num_frames - 1)
    w = (pos - lo).astype(keypoint.dtype)[None, :, None, None]
    return keypoint[:, lo] * (1 - w) + keypoint[:, hi] * w
