"""Skeleton joint layouts, and their graphs as dicts for MMAction2's Graph.

MMAction2 1.2.0 knows the 25-joint Kinect v2 layout as ``'nturgb+d'``
(``mmaction.models.utils.graph.Graph.set_layout``). This module describes
it again (for the normalisation transform) and adds three 20-joint Kinect v1
layouts, each kept in the joint order of its dataset:

* ``'nucla'`` -- N-UCLA, Kinect v1 SDK order (alias ``'kinect_v1'``);
* ``'utd_mhad'`` -- UTD-MHAD order (head first);
* ``'msr_action3d'`` -- MSR Action3D order (shoulders first, head last).

Every layout gives the joint names, the bones as ``inward`` edges
``(child, parent)`` pointing towards the graph centre, the graph ``center``
(the shoulder centre / spine-shoulder joint, as for ``'nturgb+d'``), the
joint that normalisation moves to the origin (``norm_center``, the spine
joint) and the ``zaxis``/``xaxis`` joint pairs taken by MMAction2's
``PreNormalize3D`` (the vector hip centre -> spine is turned to +z, the
vector left shoulder -> right shoulder to +x).

:func:`graph_layout_dict` gives a layout in the dict form MMAction2's
``Graph`` accepts, e.g. ``STGCN(graph_cfg=dict(layout=graph_layout_dict(
'nucla'), mode='stgcn_spatial'))``; the 20-joint dataset configs hold it as
``graph_layout``. MMAction2's ``Graph`` itself is left unchanged.
"""
from dataclasses import dataclass
from typing import Dict, List, Tuple

__all__ = [
    'SkeletonLayout', 'LAYOUTS', 'get_layout', 'graph_layout_dict',
    'joint_permutation'
]


@dataclass(frozen=True)
class SkeletonLayout:
    """Description of one joint layout.

    Attributes:
        name (str): Layout name used in configs.
        joint_names (tuple[str, ...]): Joint names in data order.
        inward (tuple[tuple[int, int], ...]): Bones as ``(child, parent)``
            0-based index pairs, pointing towards ``center``.
        center (int): Graph centre joint (used by ``Graph``).
        norm_center (int): Joint moved to the origin by normalisation.
        zaxis (tuple[int, int]): ``(bottom, top)`` joints of the spine; the
            vector bottom -> top is turned to +z.
        xaxis (tuple[int, int]): ``(right, left)`` shoulder joints; the
            vector left -> right (``right - left``) is turned to +x.
    """

    name: str
    joint_names: Tuple[str, ...]
    inward: Tuple[Tuple[int, int], ...]
    center: int
    norm_center: int
    zaxis: Tuple[int, int]
    xaxis: Tuple[int, int]

    @property
    def num_node(self) -> int:
        """Number of joints."""
        return len(self.joint_names)

    def index(self, joint: str) -> int:
        """Index of a joint by name."""
        return self.joint_names.index(joint)


def _edges(names: Tuple[str, ...],
           pairs: Tuple[Tuple[str, str], ...]) -> Tuple[Tuple[int, int], ...]:
    """Turn ``(child, parent)`` name pairs into index pairs."""
    return tuple((names.index(c), names.index(p)) for c, p in pairs)


# The bone tree shared by the Kinect v1 style 20-joint skeletons, written
# with joint names so that each dataset order gets the same bones.
_KINECT_V1_BONES = (
    ('hip_center', 'spine'),
    ('spine', 'shoulder_center'),
    ('head', 'shoulder_center'),
    ('left_shoulder', 'shoulder_center'),
    ('left_elbow', 'left_shoulder'),
    ('left_wrist', 'left_elbow'),
    ('left_hand', 'left_wrist'),
    ('right_shoulder', 'shoulder_center'),
    ('right_elbow', 'right_shoulder'),
    ('right_wrist', 'right_elbow'),
    ('right_hand', 'right_wrist'),
    ('left_hip', 'hip_center'),
    ('left_knee', 'left_hip'),
    ('left_ankle', 'left_knee'),
    ('left_foot', 'left_ankle'),
    ('right_hip', 'hip_center'),
    ('right_knee', 'right_hip'),
    ('right_ankle', 'right_knee'),
    ('right_foot', 'right_ankle'),
)


def _kinect_v1_layout(name: str, names: Tuple[str, ...]) -> SkeletonLayout:
    """Build a 20-joint layout from a joint order."""
    return SkeletonLayout(
        name=name,
        joint_names=names,
        inward=_edges(names, _KINECT_V1_BONES),
        center=names.index('shoulder_center'),
        norm_center=names.index('spine'),
        zaxis=(names.index('hip_center'), names.index('spine')),
        xaxis=(names.index('right_shoulder'), names.index('left_shoulder')))


#: N-UCLA: Kinect v1 SDK order.
NUCLA_JOINTS = (
    'hip_center', 'spine', 'shoulder_center', 'head', 'left_shoulder',
    'left_elbow', 'left_wrist', 'left_hand', 'right_shoulder', 'right_elbow',
    'right_wrist', 'right_hand', 'left_hip', 'left_knee', 'left_ankle',
    'left_foot', 'right_hip', 'right_knee', 'right_ankle', 'right_foot')

#: UTD-MHAD order (``Skeleton_joint_order.txt``).
UTD_MHAD_JOINTS = (
    'head', 'shoulder_center', 'spine', 'hip_center', 'left_shoulder',
    'left_elbow', 'left_wrist', 'left_hand', 'right_shoulder', 'right_elbow',
    'right_wrist', 'right_hand', 'left_hip', 'left_knee', 'left_ankle',
    'left_foot', 'right_hip', 'right_knee', 'right_ankle', 'right_foot')

#: MSR Action3D order (real-world-coordinate skeleton files).
MSR_ACTION3D_JOINTS = (
    'left_shoulder', 'right_shoulder', 'shoulder_center', 'spine',
    'left_hip', 'right_hip', 'hip_center', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hand', 'right_hand', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle', 'left_foot', 'right_foot',
    'head')

#: NTU RGB+D / Kinect v2 order (MMAction2's ``'nturgb+d'``).
NTU_JOINTS = (
    'spine_base', 'spine_mid', 'neck', 'head', 'left_shoulder', 'left_elbow',
    'left_wrist', 'left_hand', 'right_shoulder', 'right_elbow',
    'right_wrist', 'right_hand', 'left_hip', 'left_knee', 'left_ankle',
    'left_foot', 'right_hip', 'right_knee', 'right_ankle', 'right_foot',
    'spine_shoulder', 'left_hand_tip', 'left_thumb', 'right_hand_tip',
    'right_thumb')

_NTU_BONES = (
    ('spine_base', 'spine_mid'), ('spine_mid', 'spine_shoulder'),
    ('neck', 'spine_shoulder'), ('head', 'neck'),
    ('left_shoulder', 'spine_shoulder'), ('left_elbow', 'left_shoulder'),
    ('left_wrist', 'left_elbow'), ('left_hand', 'left_wrist'),
    ('right_shoulder', 'spine_shoulder'), ('right_elbow', 'right_shoulder'),
    ('right_wrist', 'right_elbow'), ('right_hand', 'right_wrist'),
    ('left_hip', 'spine_base'), ('left_knee', 'left_hip'),
    ('left_ankle', 'left_knee'), ('left_foot', 'left_ankle'),
    ('right_hip', 'spine_base'), ('right_knee', 'right_hip'),
    ('right_ankle', 'right_knee'), ('right_foot', 'right_ankle'),
    ('left_hand_tip', 'left_hand'), ('left_thumb', 'left_hand'),
    ('right_hand_tip', 'right_hand'), ('right_thumb', 'right_hand'))

#: All layouts by name. ``'nturgb+d'`` is MMAction2's own and is not
#: given as a dict to ``Graph``; it is here for the normalisation transform.
LAYOUTS: Dict[str, SkeletonLayout] = {
    'nturgb+d': SkeletonLayout(
        name='nturgb+d',
        joint_names=NTU_JOINTS,
        inward=_edges(NTU_JOINTS, _NTU_BONES),
        center=NTU_JOINTS.index('spine_shoulder'),
        norm_center=NTU_JOINTS.index('spine_mid'),
        zaxis=(0, 1),
        xaxis=(8, 4)),
    'nucla': _kinect_v1_layout('nucla', NUCLA_JOINTS),
    'utd_mhad': _kinect_v1_layout('utd_mhad', UTD_MHAD_JOINTS),
    'msr_action3d': _kinect_v1_layout('msr_action3d', MSR_ACTION3D_JOINTS),
}
LAYOUTS['kinect_v1'] = _kinect_v1_layout('kinect_v1', NUCLA_JOINTS)

#: Layout names that MMAction2's ``Graph`` takes in their dict form
GRAPH_LAYOUT_NAMES = ('nucla', 'kinect_v1', 'utd_mhad', 'msr_action3d')


def get_layout(name: str) -> SkeletonLayout:
    """Look a layout up by name.

    Args:
        name (str): One of :data:`LAYOUTS`.

    Returns:
        SkeletonLayout: The layout.
    """
    try:
        return LAYOUTS[name]
    except KeyError:
        raise KeyError(f'unknown skeleton layout {name!r}; known: '
                       f'{sorted(LAYOUTS)}') from None


def joint_permutation(source: str, target: str) -> List[int]:
    """Where each joint of ``target``'s order sits in ``source``'s order.

    ``x[..., joint_permutation(source, target), :]`` reorders per-joint
    data (coordinates, a joint embedding table) from ``source`` to
    ``target``, e.g. to fine-tune on MSR Action3D an encoder pretrained on
    N-UCLA: the 20-joint layouts name the same Kinect v1 joints in
    different orders.

    Args:
        source (str): Layout name of the data's current order.
        target (str): Layout name of the wanted order.

    Returns:
        list[int]: For each joint of ``target``, its index in ``source``.

    Raises:
        ValueError: When the two layouts do not name the same joints.
    """
    src, dst = get_layout(source), get_layout(target)
    if sorted(src.joint_names) != sorted(dst.joint_names):
        only_src = sorted(set(src.joint_names) - set(dst.joint_names))
        only_dst = sorted(set(dst.joint_names) - set(src.joint_names))
        raise ValueError(
            f'layouts {source!r} and {target!r} name different joints '
            f'(only in {source!r}: {only_src}; only in {target!r}: '
            f'{only_dst})')
    return [src.joint_names.index(name) for name in dst.joint_names]


def graph_layout_dict(name: str) -> dict:
    """The ``dict`` form of a layout accepted by MMAction2's ``Graph``.

    Args:
        name (str): A layout name.

    Returns:
        dict: ``num_node``, ``inward`` (list of tuples) and ``center``.
    """
    layout = get_layout(name)
    return dict(num_node=layout.num_node, inward=list(layout.inward),
                center=layout.center)
