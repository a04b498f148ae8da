"""Layout-aware version of MMAction2's ``PreNormalize3D``.

MMAction2 1.2.0's ``PreNormalize3D`` centres a skeleton on joint 1 when it
has 25 joints (NTU's spine middle) and otherwise on the *last* joint. For
the 20-joint layouts that last joint is the right foot (N-UCLA, UTD-MHAD)
or the head (MSR Action3D), so the body would be centred on the wrong
joint. :class:`PreNormalize3DLayout` takes the joints from a named layout
(see :mod:`mmskel2vec.datasets.layouts`) and otherwise does the same:

1. drop the frames in which the main person is all zero (if the second
   person is visible in more frames it becomes the main person);
2. subtract the main person's ``norm_center`` joint in the first kept frame
   from every non-zero joint;
3. rotate so that the spine vector (``zaxis[0]`` -> ``zaxis[1]``, first
   frame, main person) points along +z;
4. then rotate so that the shoulder vector from ``xaxis[1]`` (left
   shoulder) to ``xaxis[0]`` (right shoulder) points along +x.

Each rotation is the smallest one taking the vector onto the axis, as in
``PreNormalize3D``; for the ``'nturgb+d'`` layout the two transforms give
the same result. The second rotation can tilt the spine slightly off +z
when spine and shoulders are not perpendicular.
"""
from typing import Dict, Sequence, Tuple, Union

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ..layouts import get_layout

_EPS = 1e-6


def rotation_onto(vector: np.ndarray, target: Sequence[float]) -> np.ndarray:
    """Smallest rotation matrix turning ``vector`` onto ``target``'s direction.

    Args:
        vector (np.ndarray): 3-vector to rotate.
        target (Sequence[float]): 3-vector giving the wanted direction.

    Returns:
        np.ndarray: ``(3, 3)`` matrix ``R`` with ``R @ v`` parallel to
        ``target``; the identity if either vector is (near) zero or they
        are already parallel.
    """
    v = np.asarray(vector, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    nv, nt = np.linalg.norm(v), np.linalg.norm(t)
    if nv < _EPS or nt < _EPS:
        return np.eye(3)
    v, t = v / nv, t / nt
    axis = np.cross(v, t)
    sin = np.linalg.norm(axis)
    cos = float(np.clip(np.dot(v, t), -1.0, 1.0))
    if sin < _EPS:
        if cos > 0:
            return np.eye(3)
        # Opposite directions: half turn about any axis orthogonal to v.
        helper = np.eye(3)[np.argmin(np.abs(v))]
        axis = np.cross(v, helper)
        axis /= np.linalg.norm(axis)
        return 2.0 * np.outer(axis, axis) - np.eye(3)
    axis /= sin
    cross = np.array([[0.0, -axis[2], axis[1]],
                      [axis[2], 0.0, -axis[0]],
                      [-axis[1], axis[0], 0.0]])
    # Rodrigues' formula.
    return np.eye(3) + sin * cross + (1.0 - cos) * (cross @ cross)


@TRANSFORMS.register_module()
class PreNormalize3DLayout(BaseTransform):
    """Centre and align 3-D skeletons using the joints of a named layout.

    Required keys: ``keypoint`` (``(M, T, V, 3)``), ``total_frames``
    (optional), ``layout`` (when the transform has none). Modified keys:
    ``keypoint``, ``total_frames``. Added key: ``body_center``.

    Args:
        layout (str or dict, optional): A layout name from
            :data:`mmskel2vec.datasets.layouts.LAYOUTS` (``'nucla'``,
            ``'utd_mhad'``, ``'msr_action3d'``, ``'nturgb+d'`` ...) or a
            dict with ``norm_center``, ``zaxis`` and ``xaxis``. Defaults to
            None: the sample's ``layout``, which ``CheckedPoseDataset(
            layout=...)`` sets (an error names the sample without one).
        align_center (bool): Move the centre joint to the origin.
        align_spine (bool): Turn the spine to +z.
        align_shoulder (bool): Turn the shoulders to +x.
    """

    def __init__(self,
                 layout: Union[str, Dict, None] = None,
                 align_center: bool = True,
                 align_spine: bool = True,
                 align_shoulder: bool = True) -> None:
        self.layout = layout
        self._joints = None if layout is None else self._layout_joints(layout)
        self.align_center = align_center
        self.align_spine = align_spine
        self.align_shoulder = align_shoulder

    @staticmethod
    def _layout_joints(layout: Union[str, Dict]) -> Tuple:
        """``(center, zaxis, xaxis, num_joints)`` of a layout."""
        if isinstance(layout, str):
            spec = get_layout(layout)
            return (spec.norm_center, tuple(spec.zaxis), tuple(spec.xaxis),
                    spec.num_node)
        return (int(layout['norm_center']), tuple(layout['zaxis']),
                tuple(layout['xaxis']), layout.get('num_node'))

    def _joints_for(self, results: Dict) -> Tuple:
        """The layout's joints: the transform's own, else the sample's."""
        if self._joints is not None:
            sample_layout = results.get('layout')
            if (sample_layout is not None and sample_layout != self.layout
                    and self._layout_joints(sample_layout) != self._joints):
                raise ValueError(
                    f'{type(self).__name__}: layout {self.layout!r} given, '
                    f'but sample {results.get("frame_dir", "?")!r} comes '
                    f'from a dataset with layout {sample_layout!r}')
            return self._joints
        layout = results.get('layout')
        if layout is None:
            raise ValueError(
                f'{type(self).__name__}: no layout for sample '
                f'{results.get("frame_dir", "?")!r}; give layout=... or set '
                "the dataset's layout (CheckedPoseDataset(layout=...))")
        return self._layout_joints(layout)

    def transform(self, results: Dict) -> Dict:
        """Normalise ``results['keypoint']``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        center, zaxis, xaxis, layout_joints = self._joints_for(results)
        skeleton = np.asarray(results['keypoint'])
        num_person, num_frames, num_joints = skeleton.shape[:3]
        if layout_joints is not None and num_joints != layout_joints:
            layout = results.get('layout', self.layout)
            raise ValueError(f'{type(self).__name__}: layout {layout!r} '
                             f'has {layout_joints} joints, keypoint has '
                             f'{num_joints}')
        if not np.any(skeleton):
            return results

        visible = np.any(skeleton != 0, axis=(2, 3))  # (M, T)
        main = 0
        if num_person > 1 and visible[1].sum() > visible[0].sum():
            main = 1
        order = [main] + [m for m in range(num_person) if m != main]
        skeleton = skeleton[order][:, visible[main]]

        body_center = skeleton[0, 0, center].copy()
        if self.align_center:
            nonzero = np.any(skeleton != 0, axis=-1, keepdims=True)
            skeleton = (skeleton - body_center) * nonzero
        if self.align_spine:
            spine = skeleton[0, 0, zaxis[1]] - skeleton[0, 0, zaxis[0]]
            skeleton = skeleton @ rotation_onto(spine, (0, 0, 1)).T
        if self.align_shoulder:
            shoulder = skeleton[0, 0, xaxis[0]] - skeleton[0, 0, xaxis[1]]
            skeleton = skeleton @ rotation_onto(shoulder, (1, 0, 0)).T

        results['keypoint'] = skeleton.astype(np.float32)
        results['total_frames'] = skeleton.shape[1]
        results['body_center'] = body_center
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(layout={self.layout!r}, '
                f'align_center={self.align_center}, '
                f'align_spine={self.align_spine}, '
                f'align_shoulder={self.align_shoulder})')
