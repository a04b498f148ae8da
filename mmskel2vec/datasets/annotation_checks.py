"""Checks of single skeleton annotations, each naming what is wrong.

:func:`annotation_problem` returns ``None`` for a usable annotation and
otherwise a :class:`Problem`: a short code (the row of the bad-input table
in ``docs/reliability.md``) and a message. ``CheckedPoseDataset`` runs it on
every annotation when the dataset is loaded.
"""
from typing import Any, NamedTuple, Optional, Sequence

import numpy as np

#: Problem codes, in the order they are checked.
PROBLEM_CODES = ('missing_keys', 'bad_keypoint', 'no_frames',
                 'too_few_frames', 'joint_count', 'coord_count',
                 'frame_count', 'non_finite', 'all_zero', 'bad_label')


class Problem(NamedTuple):
    """What is wrong with an annotation.

    Attributes:
        code (str): One of :data:`PROBLEM_CODES`.
        message (str): Human-readable description.
    """

    code: str
    message: str


def sample_name(ann: Any, index: int) -> str:
    """``frame_dir`` of an annotation, or its position when it has none."""
    if isinstance(ann, dict) and 'frame_dir' in ann:
        return str(ann['frame_dir'])
    return f'annotation #{index}'


def _shape_problem(keypoint: np.ndarray, num_joints: Optional[int],
                   num_coords: Optional[int],
                   min_frames: int) -> Optional[Problem]:
    """Problems with the shape ``(M, T, V, C)`` of ``keypoint``."""
    if keypoint.ndim != 4:
        return Problem('bad_keypoint', 'keypoint must have shape (M, T, V, '
                       f'C), got {tuple(keypoint.shape)}')
    if keypoint.shape[0] == 0:
        return Problem('bad_keypoint', 'keypoint holds no person (M=0)')
    num_frames, joints, coords = keypoint.shape[1:]
    if num_frames == 0:
        return Problem('no_frames', 'the sequence has no frames (T=0)')
    if num_frames < min_frames:
        return Problem('too_few_frames', f'{num_frames} frame(s), fewer than '
                       f'the {min_frames} required')
    if num_joints is not None and joints != num_joints:
        return Problem('joint_count', f'{joints} joints, the config expects '
                       f'{num_joints}')
    if num_coords is not None and coords != num_coords:
        return Problem('coord_count', f'{coords} coordinates per joint, the '
                       f'config expects {num_coords}')
    return None


def _label_problem(label: Any,
                   num_classes: Optional[int]) -> Optional[Problem]:
    """Problems with a single integer label."""
    if isinstance(label, (bool, np.bool_)) or not isinstance(
            label, (int, np.integer)):
        return Problem('bad_label',
                       f'label {label!r} is not an integer class index')
    if label < 0 or (num_classes is not None and label >= num_classes):
        bound = f'[0, {num_classes})' if num_classes is not None else '>= 0'
        return Problem('bad_label', f'label {int(label)} is outside the '
                       f'class range {bound}')
    return None


def annotation_problem(ann: Any,
                       required_keys: Sequence[str] = ('frame_dir',
                                                       'keypoint'),
                       num_joints: Optional[int] = None,
                       num_coords: Optional[int] = None,
                       num_classes: Optional[int] = None,
                       min_frames: int = 1,
                       check_values: bool = True) -> Optional[Problem]:
    """The first problem of a skeleton annotation, or None if it is usable.

    Args:
        ann: One entry of ``annotations`` (a dict).
        required_keys: Keys every annotation must have.
        num_joints: Expected ``V``, or None to accept any.
        num_coords: Expected ``C``, or None to accept any.
        num_classes: Labels must be in ``[0, num_classes)``; None only
            requires a non-negative integer. A missing ``label`` is only a
            problem when it is in ``required_keys``.
        min_frames: Fewest frames ``T`` accepted.
        check_values: Also reject non-finite and all-zero coordinates
            (reads every value; the shape checks do not).

    Returns:
        Problem | None: The first problem found.
    """
    if not isinstance(ann, dict):
        return Problem('missing_keys', 'annotation is a '
                       f'{type(ann).__name__}, not a dict')
    missing = [key for key in required_keys if key not in ann]
    if missing:
        return Problem('missing_keys', f'missing key(s) {missing}')
    keypoint = ann.get('keypoint')
    if keypoint is not None:
        if not isinstance(keypoint, np.ndarray) or not np.issubdtype(
                keypoint.dtype, np.number):
            return Problem('bad_keypoint', 'keypoint must be a numeric '
                           f'array, got {type(keypoint).__name__}')
        problem = _shape_problem(keypoint, num_joints, num_coords,
                                 min_frames)
        if problem is not None:
            return problem
        total = ann.get('total_frames')
        if total is not None and total != keypoint.shape[1]:
            return Problem('frame_count', f'total_frames={total} but the '
                           f'keypoint has {keypoint.shape[1]} frames')
        if check_values:
            finite = np.isfinite(keypoint)
            if not finite.all():
                bad = int((~finite).any(axis=(0, 2, 3)).sum())
                return Problem('non_finite', f'{bad} frame(s) hold '
                               'non-finite (NaN/inf) coordinates')
            if not keypoint.any():
                return Problem('all_zero', 'all coordinates are zero (no '
                               'skeleton)')
    if 'label' in ann:
        return _label_problem(ann['label'], num_classes)
    return None
