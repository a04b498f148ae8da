"""Motion-aware tube masking of the skeleton token grid."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmaction.registry import TRANSFORMS

from .validation import check_keypoint

#: Masking priors of :class:`MotionAwareTubeMasking`.
PRIORS = ('additive', 'softmax', 'uniform', 'random')
#: Rules for the number of masked joints per tube.
COUNTS = ('keep', 'mask')


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
    """Motion intensity of each joint in each tube, as the authors define it.

    Per frame, ``|x(t+1) - x(t)|`` averaged over the coordinates, with 0 for
    the last frame of the clip; averaged over a token's frames and then over
    the tube's tokens (that is, over the tube's frames).

    Args:
        keypoint (np.ndarray): Skeleton of shape ``(M, T, V, C)``.
        t_patch (int): Frames per temporal token.
        tube_len (int): Temporal tokens per tube.

    Returns:
        np.ndarray: Motion of shape ``(M, num_tubes, V)``.
    """
    num_frames = keypoint.shape[1]
    disp = np.abs(np.diff(keypoint, axis=1)).mean(-1)
    disp = np.concatenate([disp, np.zeros_like(disp[:, :1])], axis=1)
    bounds = np.asarray(tube_bounds(num_frames // t_patch, tube_len)) * t_patch
    sums = np.add.reduceat(disp[:, :bounds[-1, 1]], bounds[:, 0], axis=1)
    return sums / (bounds[:, 1] - bounds[:, 0])[None, :, None]


def normalized_motion(keypoint: np.ndarray, t_patch: int,
                      tube_len: int) -> np.ndarray:
    """Tube motion divided by the tube's largest joint motion (+1e-6).

    Values lie in ``[0, 1)``; a still tube (a zero-padded person) gives all
    zeros, so every prior falls back to uniform there.

    Returns:
        np.ndarray: ``(M, num_tubes, V)``.
    """
    motion = joint_motion_per_tube(keypoint, t_patch, tube_len)
    return motion / (motion.max(-1, keepdims=True) + 1e-6)


@TRANSFORMS.register_module()
class MotionAwareTubeMasking(BaseTransform):
    """Motion-aware tube masking on the (temporal token x joint) grid.

    The clip of ``T`` frames becomes ``T // t_patch`` temporal tokens per
    joint. Time is cut into tubes of ``tube_len`` tokens; inside a tube the
    same joints are masked in every token, so no frame of the tube leaks a
    masked joint. Tubes, persons and views draw independently. Each joint's
    motion intensity ``I`` in a tube is its mean absolute frame-to-frame
    displacement there, divided by the tube's largest one
    (:func:`normalized_motion`). ``prior`` decides which joints are masked:

    - ``'additive'`` (the authors' final code): every joint scores
      ``U[0, 1) + beta * I``; the lowest scores stay visible, the rest are
      masked. ``beta`` is their ``s_tau`` (0.1 for NTU-60 and PKU-MMD, 0.2
      for NTU-120). A mild bias when many joints stay visible, but at a
      high ratio the kept joints are the lowest of many scores, so the
      shift matters more (``tools/analysis/mask_statistics.py`` measures
      it: at 2 of 20 visible and beta 0.1 the fastest joint is visible
      about half as often as under uniform masking).
    - ``'softmax'`` (MAMP): the masked joints are drawn without replacement
      with probabilities ``softmax(I / tau)`` (Gumbel top-k); a far stronger
      bias than the additive prior at the same ratio.
    - ``'uniform'``: tube masking with joints drawn uniformly.
    - ``'random'``: every token row draws its own joints uniformly
      (``tube_len`` is ignored).

    Masked joints per tube (the same for every sample, so masks stack into
    a batch), from ``V`` joints:

    - ``count='keep'`` (the authors'): ``int(V * (1 - mask_ratio))`` joints
      stay visible, computed in floating point exactly as their code does
      (25 joints at 0.9: 2 visible; 20 joints at 0.9: ``20 * 0.09999...``
      truncates to 1 visible);
    - ``count='mask'``: ``round(V * mask_ratio)`` joints are masked (25 at
      0.9: 22 masked, 3 visible; 20 at 0.9: 18 masked, 2 visible).

    At least one joint is masked and at least one stays visible.

    Randomness comes from NumPy's global generator, which MMEngine seeds from
    the config's ``randomness.seed`` (and per data-loader worker), so masks
    are reproducible.

    Required keys: ``keypoint`` of shape ``(num_clips, M, T, V, C)`` (the
    output of ``FormatGCNInput``) or ``(M, T, V, C)``.

    Added keys: ``mask``, a bool array of shape
    ``(num_views, M, T // t_patch, V)``; ``True`` marks a masked token.

    Args:
        t_patch (int): Frames per temporal token; must equal the backbone's.
            Defaults to 3.
        tube_len (int): Temporal tokens per tube. Defaults to 5.
        mask_ratio (float): Fraction of joints masked in every tube.
            Defaults to 0.9.
        prior (str): One of ``'additive'``, ``'softmax'``, ``'uniform'``,
            ``'random'``. Defaults to ``'additive'``.
        beta (float): Strength of the additive prior. Defaults to 0.1.
        tau (float): Temperature of the softmax prior. Defaults to 0.8.
        count (str): ``'keep'`` or ``'mask'``, see above. Defaults to
            ``'keep'``.
        num_views (int): Independent masks drawn per sample (several masked
            views share one teacher pass). Defaults to 1.
    """

    def __init__(self,
                 t_patch: int = 3,
                 tube_len: int = 5,
                 mask_ratio: float = 0.9,
                 prior: str = 'additive',
                 beta: float = 0.1,
                 tau: float = 0.8,
                 count: str = 'keep',
                 num_views: int = 1) -> None:
        if t_patch < 1 or tube_len < 1 or num_views < 1:
            raise ValueError('t_patch, tube_len and num_views must be >= 1, '
                             f'got {t_patch}, {tube_len}, {num_views}')
        if not 0.0 < mask_ratio < 1.0:
            raise ValueError(f'mask_ratio must be in (0, 1), got {mask_ratio}')
        if prior not in PRIORS:
            raise ValueError(f'prior must be one of {PRIORS}, got {prior!r}')
        if count not in COUNTS:
            raise ValueError(f'count must be one of {COUNTS}, got {count!r}')
        if beta < 0:
            raise ValueError(f'beta must be >= 0, got {beta}')
        if tau <= 0:
            raise ValueError(f'tau must be > 0, got {tau}')
        self.t_patch = t_patch
        self.tube_len = tube_len
        self.mask_ratio = mask_ratio
        self.prior = prior
        self.beta = beta
        self.tau = tau
        self.count = count
        self.num_views = num_views

    @property
    def group_len(self) -> int:
        """Token rows that share a draw: a tube, or one row (``'random'``)."""
        return 1 if self.prior == 'random' else self.tube_len

    def num_masked_joints(self, num_joints: int) -> int:
        """Joints masked per tube under the ``count`` rule."""
        if self.count == 'keep':
            masked = num_joints - int(num_joints * (1 - self.mask_ratio))
        else:
            masked = round(num_joints * self.mask_ratio)
        return int(min(max(masked, 1), num_joints - 1))

    def mask_scores(self, keypoint: np.ndarray,
                    rng: Optional[np.random.Generator] = None) -> np.ndarray:
        """Scores whose ``k`` largest joints of each tube are masked.

        Args:
            keypoint (np.ndarray): ``(M, T, V, C)``.
            rng (np.random.Generator, optional): Generator to draw from;
                NumPy's global generator when None.

        Returns:
            np.ndarray: ``(num_views, M, num_groups, V)``, where a group is a
            tube (one token row for the ``'random'`` prior).
        """
        num_person, num_frames, num_joints, _ = keypoint.shape
        num_groups = len(tube_bounds(num_frames // self.t_patch,
                                     self.group_len))
        shape = (self.num_views, num_person, num_groups, num_joints)
        uniform = rng.random(shape) if rng is not None else np.random.random(
            shape)
        if self.prior in ('uniform', 'random'):
            return uniform
        motion = normalized_motion(keypoint, self.t_patch, self.tube_len)
        if self.prior == 'additive':
            # the lowest U + beta * I stay visible, i.e. the k largest are
            # masked
            return uniform + self.beta * motion[None]
        # softmax: Gumbel top-k samples k joints without replacement
        gumbel = -np.log(-np.log(np.clip(uniform, 1e-20, 1.0 - 1e-12)))
        return motion[None] / self.tau + gumbel

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
        scores = self.mask_scores(keypoint, rng)
        k = self.num_masked_joints(num_joints)
        chosen = np.argpartition(-scores, k - 1, axis=-1)[..., :k]
        group_mask = np.zeros(scores.shape, dtype=bool)
        np.put_along_axis(group_mask, chosen, True, axis=-1)
        mask = np.zeros((self.num_views, num_person, num_tokens, num_joints),
                        dtype=bool)
        for i, (start, stop) in enumerate(
                tube_bounds(num_tokens, self.group_len)):
            mask[:, :, start:stop] = group_mask[:, :, i:i + 1]
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
                f'prior={self.prior!r}, beta={self.beta}, tau={self.tau}, '
                f'count={self.count!r}, num_views={self.num_views})')
