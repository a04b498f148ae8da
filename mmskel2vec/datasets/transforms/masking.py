"""Motion-aware tube masking of the skeleton token grid."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmaction.registry import TRANSFORMS

from .validation import check_keypoint


def tube_bounds(num_tokens: int, tube_len: int) -> Sequence[Tuple[int, int]]:
    """Cut ``num_tokens`` temporal tokens into consecutive tubes.

    Args:
        num_tokens (int): Number of temporal tokens (``T // t_patch``).
        tube_len (int): Temporal tokens per tube; the last tube is shorter
            when ``num_tokens`` is not a multiple of it.

    Returns:
        list[tuple[int, int]]: ``(start, stop)`` token indices of each tube.
    """
    return [(s, min(s + tube_len, num_tokens))
            for s in range(0, num_tokens, tube_len)]


def joint_motion_per_tube(keypoint: np.ndarray, t_patch: int,
                          tube_len: int) -> np.ndarray:
    """Mean absolute frame-to-frame displacement of each joint in each tube.

    Args:
        keypoint (np.ndarray): Skeleton of shape ``(M, T, V, C)``.
        t_patch (int): Frames per temporal token.
        tube_len (int): Temporal tokens per tube.

    Returns:
        np.ndarray: Motion of shape ``(M, num_tubes, V)``.
    """
    num_frames = keypoint.shape[1]
    # |x_{t+1} - x_t| averaged over coordinates; the last frame repeats the
    # previous displacement so every frame has one.
    disp = np.abs(np.diff(keypoint, axis=1)).mean(-1)
    disp = np.concatenate([disp, disp[:, -1:]], axis=1)
    bounds = np.asarray(tube_bounds(num_frames // t_patch, tube_len)) * t_patch
    sums = np.add.reduceat(disp[:, :bounds[-1, 1]], bounds[:, 0], axis=1)
    motion = sums / (bounds[:, 1] - bounds[:, 0])[None, :, None]
    return motion


@TRANSFORMS.register_module()
class MotionAwareTubeMasking(BaseTransform):
    """Motion-aware tube masking on the (temporal token x joint) grid.

    The clip of ``T`` frames becomes ``T // t_patch`` temporal tokens per
    joint. Time is cut into tubes of ``tube_len`` tokens; inside a tube the
    same ``round(V * mask_ratio)`` joints are masked in every token, so no
    frame of the tube leaks a masked joint. Joints are drawn without
    replacement with probability ``softmax(motion / (max_motion * tau))``
    (Gumbel top-k), where ``motion`` is the joint's mean absolute
    frame-to-frame displacement inside the tube: joints that move more are
    masked more often. Every sample gets the same number of masked tokens, so
    masks stack into a batch.

    Randomness comes from NumPy's global generator, which MMEngine seeds from
    the config's ``randomness.seed`` (and per data-loader worker), so masks
    are reproducible.

    Required keys: ``keypoint`` of shape ``(num_clips, M, T, V, C)`` (the
    output of ``FormatGCNInput``) or ``(M, T, V, C)``.

    Added keys: ``mask``, a bool array of shape
    ``(num_views, M, T // t_patch, V)``; ``True`` marks a masked token.

    Args:
        t_patch (int): Frames per temporal token; must equal the backbone's.
            Defaults to 4.
        tube_len (int): Temporal tokens per tube. 1 masks each token row
            independently. Defaults to 5.
        mask_ratio (float): Fraction of joints masked in every tube.
            Defaults to 0.9.
        tau (float): Softmax temperature of the motion prior, relative to the
            tube's largest motion. Defaults to 0.8.
        motion_aware (bool): If False, joints are drawn uniformly (plain tube
            masking). Defaults to True.
        num_views (int): Independent masks drawn per sample (several masked
            views share one teacher pass). Defaults to 1.
    """

    def __init__(self,
                 t_patch: int = 4,
                 tube_len: int = 5,
                 mask_ratio: float = 0.9,
                 tau: float = 0.8,
                 motion_aware: bool = True,
                 num_views: int = 1) -> None:
        if t_patch < 1 or tube_len < 1 or num_views < 1:
            raise ValueError('t_patch, tube_len and num_views must be >= 1, '
                             f'got {t_patch}, {tube_len}, {num_views}')
        if not 0.0 < mask_ratio < 1.0:
            raise ValueError(f'mask_ratio must be in (0, 1), got {mask_ratio}')
        if tau <= 0:
            raise ValueError(f'tau must be > 0, got {tau}')
        self.t_patch = t_patch
        self.tube_len = tube_len
        self.mask_ratio = mask_ratio
        self.tau = tau
        self.motion_aware = motion_aware
        self.num_views = num_views

    def num_masked_joints(self, num_joints: int) -> int:
        """Joints masked per tube: ``round(V * mask_ratio)``, at least 1."""
        return int(min(max(round(num_joints * self.mask_ratio), 1),
                       num_joints - 1))

    def joint_logits(self, keypoint: np.ndarray) -> np.ndarray:
        """Log-probabilities (up to a constant) of masking each joint.

        Args:
            keypoint (np.ndarray): ``(M, T, V, C)``.

        Returns:
            np.ndarray: ``(M, num_tubes, V)`` logits
            ``motion / (max_motion * tau)``, zeros when not motion-aware.
        """
        num_person, num_frames, num_joints, _ = keypoint.shape
        num_tubes = len(tube_bounds(num_frames // self.t_patch,
                                    self.tube_len))
        if not self.motion_aware:
            return np.zeros((num_person, num_tubes, num_joints))
        motion = joint_motion_per_tube(keypoint, self.t_patch, self.tube_len)
        max_motion = motion.max(-1, keepdims=True)
        # A still tube (e.g. a zero-padded person) falls back to uniform.
        return motion / (np.maximum(max_motion, 1e-12) * self.tau)

    def sample_mask(self, keypoint: np.ndarray,
                    rng: Optional[np.random.Generator] = None) -> np.ndarray:
        """Draw ``num_views`` tube masks for one skeleton sequence.

        Args:
            keypoint (np.ndarray): ``(M, T, V, C)``.
            rng (np.random.Generator, optional): Generator to draw from;
                NumPy's global generator when None.

        Returns:
            np.ndarray: bool ``(num_views, M, T // t_patch, V)``.
        """
        num_person, num_frames, num_joints, _ = keypoint.shape
        num_tokens = num_frames // self.t_patch
        logits = self.joint_logits(keypoint)
        k = self.num_masked_joints(num_joints)
        shape = (self.num_views, ) + logits.shape
        uniform = rng.random(shape) if rng is not None else np.random.random(
            shape)
        gumbel = -np.log(-np.log(np.clip(uniform, 1e-20, 1.0 - 1e-12)))
        scores = logits[None] + gumbel
        # Gumbel top-k == sampling k joints without replacement.
        chosen = np.argpartition(-scores, k - 1, axis=-1)[..., :k]
        tube_mask = np.zeros(shape, dtype=bool)
        np.put_along_axis(tube_mask, chosen, True, axis=-1)
        mask = np.zeros((self.num_views, num_person, num_tokens, num_joints),
                        dtype=bool)
        for i, (start, stop) in enumerate(
                tube_bounds(num_tokens, self.tube_len)):
            mask[:, :, start:stop] = tube_mask[:, :, i:i + 1]
        return mask

    def transform(self, results: Dict) -> Dict:
        """Add ``results['mask']`` drawn for ``results['keypoint']``."""
        keypoint = results['keypoint']
        name = results.get('frame_dir', '<unknown sample>')
        if keypoint.ndim == 5:
            if keypoint.shape[0] != 1:
                raise ValueError(
                    f'{name}: MotionAwareTubeMasking expects one clip, got '
                    f'num_clips={keypoint.shape[0]}')
            keypoint = keypoint[0]
        check_keypoint(keypoint, name, min_frames=self.t_patch * 1)
        if keypoint.shape[1] % self.t_patch:
            raise ValueError(
                f'{name}: clip length {keypoint.shape[1]} is not a multiple '
                f'of t_patch={self.t_patch}; set the clip length of the '
                'temporal sampling transform to a multiple of it')
        results['mask'] = self.sample_mask(keypoint)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(t_patch={self.t_patch}, '
                f'tube_len={self.tube_len}, mask_ratio={self.mask_ratio}, '
                f'tau={self.tau}, motion_aware={self.motion_aware}, '
                f'num_views={self.num_views})')
