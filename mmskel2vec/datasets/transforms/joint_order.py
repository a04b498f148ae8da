"""Moving a sample's joints into the order of another skeleton layout."""
from typing import Dict, List

from mmcv.transforms import BaseTransform
from mmaction.registry import TRANSFORMS

from ..layouts import get_layout, joint_permutation


@TRANSFORMS.register_module()
class ReorderJoints(BaseTransform):
    """Put a sample's joints into the order of the layout ``target``.

    The 20-joint Kinect v1 datasets (N-UCLA, UTD-MHAD, MSR Action3D) name
    the same joints in different orders; with this step first in the
    pipeline, samples of all of them can train one encoder (e.g. in a
    ``ConcatDataset``). The source order is the sample's ``layout``, which
    ``CheckedPoseDataset(layout=...)`` sets; afterwards ``layout`` is
    ``target``, so a following ``PreNormalize3DLayout()`` reads the right
    joints.

    Required keys: ``keypoint`` ``(M, T, V, C)``, ``layout``.
    Modified keys: ``keypoint``, ``keypoint_score`` (when present),
    ``layout``.

    Args:
        target (str): Layout name of the wanted order, from
            :data:`mmskel2vec.datasets.layouts.LAYOUTS`.
    """

    def __init__(self, target: str) -> None:
        get_layout(target)  # an unknown name fails here, not per sample
        self.target = target
        self._orders: Dict[str, List[int]] = {}  # by source layout

    def transform(self, results: Dict) -> Dict:
        """Reorder ``keypoint`` (and ``keypoint_score``) along joints."""
        source = results.get('layout')
        if source is None:
            raise ValueError(
                f'{type(self).__name__}: sample '
                f'{results.get("frame_dir", "?")!r} has no layout; set the '
                "dataset's layout (CheckedPoseDataset(layout=...))")
        if source != self.target:
            if source not in self._orders:
                self._orders[source] = joint_permutation(source, self.target)
            order = self._orders[source]
            results['keypoint'] = results['keypoint'][:, :, order]
            if 'keypoint_score' in results:
                results['keypoint_score'] = results['keypoint_score'][
                    :, :, order]
            results['layout'] = self.target
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(target={self.target!r})'
