"""Embedded synthetic 3D skeleton dataset that needs no download.

The samples are procedurally animated NTU RGB+D style skeletons (Kinect v2,
25 joints, metres, camera space with ``y`` up and ``z`` the depth). A rest
pose is built by forward kinematics over the bone tree and the joint angles
are animated per class, so that the classes differ clearly by their motion.
Everything is pure numpy and deterministic given a seed, which makes the
dataset a convenient default for smoke tests, tutorials and CI.
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmaction.datasets import BaseActionDataset
from mmaction.registry import DATASETS

from .per_sample_seeding import PerSampleSeedMixin

__all__ = [
    'NTU_JOINT_NAMES', 'NTU_JOINT_PARENTS', 'SYNTHETIC_CLASSES',
    'NOISE_STD', 'SyntheticVariation', 'generate_synthetic_skeletons',
    'SyntheticSkeletonDataset'
]

#: Kinect v2 joint names in NTU RGB+D order (0-based indices).
NTU_JOINT_NAMES: Tuple[str, ...] = (
    'spine_base', 'spine_mid', 'neck', 'head', 'left_shoulder', 'left_elbow',
    'left_wrist', 'left_hand', 'right_shoulder', 'right_elbow', 'right_wrist',
    'right_hand', 'left_hip', 'left_knee', 'left_ankle', 'left_foot',
    'right_hip', 'right_knee', 'right_ankle', 'right_foot', 'spine_shoulder',
    'left_hand_tip', 'left_thumb', 'right_hand_tip', 'right_thumb')

#: Parent of every joint in the kinematic tree (``-1`` for the root).
NTU_JOINT_PARENTS: Tuple[int, ...] = (
    -1, 0, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0, 12, 13, 14, 0, 16, 17, 18, 1,
    7, 6, 11, 10)

#: Class names, in label order. The last class involves two persons.
SYNTHETIC_CLASSES: Tuple[str, ...] = (
    'wave_right_hand', 'wave_left_hand', 'clap', 'squat', 'jump', 'kick',
    'walk_in_place', 'handshake')

#: Standard deviation (metres) of the Gaussian noise added to every coordinate.
NOISE_STD = 0.005

NUM_JOINTS = len(NTU_JOINT_NAMES)
FPS = 30.0

# Bone offsets from the parent joint for a ~1.75 m adult standing upright
# with the arms hanging, expressed in the body frame: +x is the person's
# left, +y is up and +z is the direction the person faces.
_REST_OFFSETS = np.array([
    [0.00, 0.00, 0.00],  # 0 spine base (root)
    [0.00, 0.26, 0.00],  # 1 spine mid
    [0.00, 0.07, 0.01],  # 2 neck
    [0.00, 0.15, 0.02],  # 3 head
    [0.17, -0.02, 0.00],  # 4 left shoulder
    [0.00, -0.28, 0.00],  # 5 left elbow
    [0.00, -0.25, 0.00],  # 6 left wrist
    [0.00, -0.07, 0.00],  # 7 left hand
    [-0.17, -0.02, 0.00],  # 8 right shoulder
    [0.00, -0.28, 0.00],  # 9 right elbow
    [0.00, -0.25, 0.00],  # 10 right wrist
    [0.00, -0.07, 0.00],  # 11 right hand
    [0.09, -0.04, 0.00],  # 12 left hip
    [0.00, -0.42, 0.00],  # 13 left knee
    [0.00, -0.41, 0.00],  # 14 left ankle
    [0.00, -0.06, 0.12],  # 15 left foot
    [-0.09, -0.04, 0.00],  # 16 right hip
    [0.00, -0.42, 0.00],  # 17 right knee
    [0.00, -0.41, 0.00],  # 18 right ankle
    [0.00, -0.06, 0.12],  # 19 right foot
    [0.00, 0.24, 0.00],  # 20 spine shoulder
    [0.00, -0.08, 0.00],  # 21 left hand tip
    [0.00, -0.05, 0.04],  # 22 left thumb
    [0.00, -0.08, 0.00],  # 23 right hand tip
    [0.00, -0.05, 0.04],  # 24 right thumb
])

_FOOT_JOINTS = (14, 15, 18, 19)
_ARM = {'left': (4, 5), 'right': (8, 9)}  # shoulder, elbow
_LEG = {'left': (12, 13, 14), 'right': (16, 17, 18)}  # hip, knee, ankle
# Sign turning "away from the body midline" into a rotation angle.
_OUTWARD = {'left': 1.0, 'right': -1.0}
_SPLIT_KEYS = {'train': 0, 'val': 1}

# Local joint rotations (joint index -> (T, 3, 3)) and a vertical lift (T,).
_Pose = Tuple[Dict[int, np.ndarray], np.ndarray]


@dataclasses.dataclass(frozen=True)
class SyntheticVariation:
    """How much the clips of one class differ from each other.

    Every clip draws its own body size, speed, amplitude and trunk posture
    from these ranges, and noise is added to every coordinate. The defaults
    keep the classes far apart (a randomly initialised encoder tells them
    apart by kNN); wider ranges and more noise make a harder task.

    Attributes:
        noise_std: Standard deviation (metres) of the Gaussian noise on
            every coordinate of every frame.
        body_scale: Range of the body size factor (bone lengths).
        speed: Range of the factor on the class's base frequency.
        amplitude: Range of the factor on the class's motion amplitude.
        posture_std: Standard deviation (radians) of the trunk's forward
            and sideways lean, one draw per clip.
    """

    noise_std: float = NOISE_STD
    body_scale: Tuple[float, float] = (0.88, 1.12)
    speed: Tuple[float, float] = (0.8, 1.25)
    amplitude: Tuple[float, float] = (0.85, 1.15)
    posture_std: float = 0.05

    def __post_init__(self) -> None:
        for name in ('body_scale', 'speed', 'amplitude'):
            low, high = getattr(self, name)
            if not 0 < low <= high:
                raise ValueError(f'{name} must be a range 0 < low <= high, '
                                 f'got {getattr(self, name)}')
            object.__setattr__(self, name, (float(low), float(high)))
        if self.noise_std < 0 or self.posture_std < 0:
            raise ValueError('noise_std and posture_std must be >= 0, got '
                             f'{self.noise_std} and {self.posture_std}')


def _as_variation(
        variation: Union[None, dict, 'SyntheticVariation']
) -> 'SyntheticVariation':
    """A :class:`SyntheticVariation` from None (defaults) or a dict."""
    if variation is None:
        return SyntheticVariation()
    if isinstance(variation, SyntheticVariation):
        return variation
    fields = {f.name for f in dataclasses.fields(SyntheticVariation)}
    unknown = set(variation) - fields
    if unknown:
        raise ValueError(f'unknown variation keys {sorted(unknown)}; '
                         f'expected some of {sorted(fields)}')
    return SyntheticVariation(**variation)


def _topological_order(parents: Sequence[int]) -> Tuple[int, ...]:
    """Order the joints so that every parent precedes its children."""
    order: List[int] = []
    pending = list(range(len(parents)))
    while pending:
        ready = [j for j in pending if parents[j] < 0 or parents[j] in order]
        order.extend(ready)
        pending = [j for j in pending if j not in ready]
    return tuple(order)


_FK_ORDER = _topological_order(NTU_JOINT_PARENTS)


@dataclasses.dataclass(frozen=True)
class _MotionContext:
    """Per-sample timing and amplitude of one animated action."""

    time: np.ndarray  # (T,) seconds
    envelope: np.ndarray  # (T,) in [0, 1], eases the action in and out
    freq: float  # Hz
    phase: float  # rad
    amp: float  # amplitude multiplier

    def cycle(self, rate: float = 1.0) -> np.ndarray:
        """Return the oscillation angle ``2 pi f t + phase`` (times rate)."""
        return 2 * np.pi * self.freq * rate * self.time + self.phase


@dataclasses.dataclass(frozen=True)
class _ClassSpec:
    """How to animate one class."""

    name: str
    pose: Callable[[_MotionContext], _Pose]
    base_freq: float
    num_persons: int = 1


def _axis_rotation(axis: int, angle: np.ndarray) -> np.ndarray:
    """Rotation matrices (T, 3, 3) about a coordinate axis (0=x, 1=y, 2=z)."""
    angle = np.asarray(angle, dtype=np.float64)
    cos, sin = np.cos(angle), np.sin(angle)
    i, j = ((1, 2), (2, 0), (0, 1))[axis]
    rot = np.zeros(angle.shape + (3, 3))
    rot[..., axis, axis] = 1.0
    rot[..., i, i] = cos
    rot[..., j, j] = cos
    rot[..., i, j] = -sin
    rot[..., j, i] = sin
    return rot


def _joint_rotation(flex: Union[float, np.ndarray] = 0.0,
                    abduct: Union[float, np.ndarray] = 0.0,
                    turn: Union[float, np.ndarray] = 0.0,
                    num_frames: int = 1) -> np.ndarray:
    """Compose ``Ry(turn) @ Rz(abduct) @ Rx(flex)`` over time.

    With a limb hanging along ``-y``, a negative ``flex`` swings it forward,
    ``abduct`` swings it sideways and ``turn`` rotates about the vertical.
    """
    shape = (num_frames, )
    rot = _axis_rotation(0, np.broadcast_to(flex, shape))
    rot = _axis_rotation(2, np.broadcast_to(abduct, shape)) @ rot
    return _axis_rotation(1, np.broadcast_to(turn, shape)) @ rot


def _still(ctx: _MotionContext) -> np.ndarray:
    """A zero lift signal matching the context length."""
    return np.zeros_like(ctx.time)


def _pose_wave(ctx: _MotionContext, side: str) -> _Pose:
    """Raise one arm sideways and wave the forearm in the frontal plane."""
    n, out = len(ctx.time), _OUTWARD[side]
    shoulder, elbow = _ARM[side]
    swing = 0.45 * ctx.amp * np.sin(ctx.cycle())
    rots = {
        shoulder: _joint_rotation(abduct=out * 1.4 * ctx.envelope,
                                  num_frames=n),
        elbow: _joint_rotation(abduct=out * (1.5 + swing) * ctx.envelope,
                               num_frames=n),
    }
    return rots, _still(ctx)


def _pose_clap(ctx: _MotionContext) -> _Pose:
    """Stretch both arms forward and bring the hands together repeatedly."""
    n, env = len(ctx.time), ctx.envelope
    opening = -0.12 + 0.38 * ctx.amp * np.cos(ctx.cycle())
    rots = {}
    for side in ('left', 'right'):
        shoulder, elbow = _ARM[side]
        rots[shoulder] = _joint_rotation(
            flex=-1.3 * env, turn=-_OUTWARD[side] * opening * env,
            num_frames=n)
        rots[elbow] = _joint_rotation(flex=-0.4 * env, num_frames=n)
    return rots, _still(ctx)


def _leg_rotations(side: str, hip_flex: np.ndarray, knee_flex: np.ndarray,
                   ankle: np.ndarray) -> Dict[int, np.ndarray]:
    """Hip, knee and ankle rotations; positive values bend the joint."""
    hip, knee, ankle_joint = _LEG[side]
    n = len(hip_flex)
    return {
        hip: _joint_rotation(flex=-hip_flex, num_frames=n),
        knee: _joint_rotation(flex=knee_flex, num_frames=n),
        ankle_joint: _joint_rotation(flex=ankle, num_frames=n),
    }


def _pose_squat(ctx: _MotionContext) -> _Pose:
    """Bend hips and knees with flat feet, leaning and reaching forward."""
    n = len(ctx.time)
    depth = 0.55 * ctx.amp * (1 - np.cos(ctx.cycle())) * ctx.envelope
    rots = {1: _joint_rotation(flex=0.5 * depth, num_frames=n)}
    for side in ('left', 'right'):
        rots.update(_leg_rotations(side, depth, 2 * depth, -depth))
        rots[_ARM[side][0]] = _joint_rotation(flex=-0.9 * depth, num_frames=n)
    return rots, _still(ctx)


def _pose_jump(ctx: _MotionContext) -> _Pose:
    """Crouch, then take off with an arm swing; repeated."""
    n, wave = len(ctx.time), np.sin(ctx.cycle())
    flight = np.maximum(wave, 0) * ctx.envelope
    crouch = np.maximum(-wave, 0) * ctx.envelope
    rots = {}
    for side in ('left', 'right'):
        rots.update(
            _leg_rotations(side, 0.7 * crouch, 1.4 * crouch,
                           0.4 * flight - 0.7 * crouch))
        rots[_ARM[side][0]] = _joint_rotation(
            flex=0.5 * crouch - 2.2 * flight, num_frames=n)
    return rots, 0.25 * ctx.amp * flight


def _pose_kick(ctx: _MotionContext) -> _Pose:
    """Kick forward with the right leg, arms out for balance."""
    n = len(ctx.time)
    lift = np.maximum(np.sin(ctx.cycle()), 0)**2 * ctx.envelope
    hip = 1.4 * ctx.amp * lift
    rots = _leg_rotations('right', hip, 2.4 * lift * (1 - lift), 0.3 * lift)
    rots.update(_leg_rotations('left', 0.1 * lift, 0.2 * lift, -0.1 * lift))
    rots[1] = _joint_rotation(flex=-0.2 * lift, num_frames=n)
    for side in ('left', 'right'):
        rots[_ARM[side][0]] = _joint_rotation(
            abduct=_OUTWARD[side] * 0.4 * lift, num_frames=n)
    return rots, _still(ctx)


def _pose_walk_in_place(ctx: _MotionContext) -> _Pose:
    """Alternate knee raises with opposite arm swings."""
    n = len(ctx.time)
    stride = np.sin(ctx.cycle()) * ctx.envelope
    rots = {}
    for side, sign in (('left', 1.0), ('right', -1.0)):
        raise_ = 0.9 * ctx.amp * np.maximum(sign * stride, 0)
        rots.update(_leg_rotations(side, raise_, 1.5 * raise_,
                                   -0.3 * raise_))
        shoulder, elbow = _ARM[side]
        rots[shoulder] = _joint_rotation(flex=0.5 * sign * stride,
                                         num_frames=n)
        rots[elbow] = _joint_rotation(flex=-0.3 * ctx.envelope, num_frames=n)
    return rots, _still(ctx)


def _pose_handshake(ctx: _MotionContext) -> _Pose:
    """Reach the right hand towards the partner and shake it."""
    n, env = len(ctx.time), ctx.envelope
    shoulder, elbow = _ARM['right']
    shake = 0.15 * ctx.amp * np.sin(ctx.cycle())
    rots = {
        shoulder: _joint_rotation(flex=-0.75 * env,
                                  turn=-_OUTWARD['right'] * 0.35 * env,
                                  num_frames=n),
        elbow: _joint_rotation(flex=-(0.5 + shake) * env, num_frames=n),
    }
    return rots, _still(ctx)


_CLASS_SPECS: Tuple[_ClassSpec, ...] = (
    _ClassSpec('wave_right_hand', functools.partial(_pose_wave,
                                                    side='right'), 1.8),
    _ClassSpec('wave_left_hand', functools.partial(_pose_wave, side='left'),
               1.8),
    _ClassSpec('clap', _pose_clap, 2.0),
    _ClassSpec('squat', _pose_squat, 0.5),
    _ClassSpec('jump', _pose_jump, 1.1),
    _ClassSpec('kick', _pose_kick, 0.7),
    _ClassSpec('walk_in_place', _pose_walk_in_place, 0.9),
    _ClassSpec('handshake', _pose_handshake, 2.5, num_persons=2),
)
assert tuple(s.name for s in _CLASS_SPECS) == SYNTHETIC_CLASSES


def _forward_kinematics(offsets: np.ndarray,
                        local_rots: Dict[int, np.ndarray],
                        num_frames: int) -> np.ndarray:
    """Joint positions (T, V, 3) with the root at the origin.

    A joint's local rotation turns the bones of all its descendants; joints
    missing from ``local_rots`` keep their rest orientation.
    """
    positions = np.zeros((num_frames, NUM_JOINTS, 3))
    global_rots: List[Optional[np.ndarray]] = [None] * NUM_JOINTS
    for joint in _FK_ORDER:
        parent = NTU_JOINT_PARENTS[joint]
        parent_rot = global_rots[parent] if parent >= 0 else None
        if parent >= 0:
            bone = offsets[joint] if parent_rot is None \
                else parent_rot @ offsets[joint]
            positions[:, joint] = positions[:, parent] + bone
        local = local_rots.get(joint)
        if parent_rot is None or local is None:
            global_rots[joint] = local if parent_rot is None else parent_rot
        else:
            global_rots[joint] = parent_rot @ local
    return positions


def _ground(joints: np.ndarray, lift: np.ndarray) -> np.ndarray:
    """Put the lowest foot joint on the floor (y=0), then raise by lift."""
    floor = joints[:, _FOOT_JOINTS, 1].min(axis=1)
    return joints + (lift - floor)[:, None, None] * np.array([0., 1., 0.])


def _to_camera(joints: np.ndarray, yaw: float,
               origin: np.ndarray) -> np.ndarray:
    """Rotate body-frame joints about the vertical axis and translate."""
    return joints @ _axis_rotation(1, yaw).T + origin


def _sample_bone_offsets(rng: np.random.Generator,
                         variation: SyntheticVariation) -> np.ndarray:
    """Rest offsets scaled by a body size and a small per-bone jitter."""
    scale = rng.uniform(*variation.body_scale)
    jitter = 1.0 + 0.03 * rng.standard_normal(NUM_JOINTS)
    return _REST_OFFSETS * (scale * jitter)[:, None]


def _sample_context(rng: np.random.Generator, base_freq: float,
                    num_frames: int,
                    variation: SyntheticVariation) -> _MotionContext:
    """Draw speed, phase, amplitude and the ease-in/out envelope."""
    progress = np.linspace(0.0, 1.0, num_frames)
    ramp = rng.uniform(0.1, 0.2)
    edge = np.clip(np.minimum(progress, 1 - progress) / ramp, 0.0, 1.0)
    return _MotionContext(
        time=np.arange(num_frames) / FPS,
        envelope=edge * edge * (3 - 2 * edge),  # smoothstep
        freq=base_freq * rng.uniform(*variation.speed),
        phase=rng.uniform(0.0, 2 * np.pi),
        amp=rng.uniform(*variation.amplitude))


def _animate_body(rng: np.random.Generator, spec: _ClassSpec,
                  ctx: _MotionContext,
                  variation: SyntheticVariation) -> np.ndarray:
    """Animate one person in its body frame, feet on the floor (T, V, 3)."""
    offsets = _sample_bone_offsets(rng, variation)
    rots, lift = spec.pose(ctx)
    posture = _joint_rotation(flex=rng.normal(0, variation.posture_std),
                              abduct=rng.normal(0, variation.posture_std),
                              num_frames=len(ctx.time))
    rots[1] = posture @ rots[1] if 1 in rots else posture
    joints = _forward_kinematics(offsets, rots, len(ctx.time))
    return _ground(joints, lift)


def _sample_origin(rng: np.random.Generator) -> np.ndarray:
    """Floor position in camera space: x lateral, y floor height, z depth."""
    return np.array([
        rng.uniform(-0.6, 0.6),
        rng.uniform(-1.0, -0.75),
        rng.uniform(2.5, 3.5)
    ])


def _single_person(rng: np.random.Generator, spec: _ClassSpec,
                   ctx: _MotionContext,
                   variation: SyntheticVariation) -> np.ndarray:
    """One person roughly facing the camera, shape (1, T, V, 3)."""
    body = _animate_body(rng, spec, ctx, variation)
    yaw = np.pi + rng.uniform(-np.pi / 4, np.pi / 4)
    return _to_camera(body, yaw, _sample_origin(rng))[None]


def _person_pair(rng: np.random.Generator, spec: _ClassSpec,
                 ctx: _MotionContext,
                 variation: SyntheticVariation) -> np.ndarray:
    """Two persons facing each other, seen from the side, (2, T, V, 3)."""
    first = _animate_body(rng, spec, ctx, variation)
    second_ctx = dataclasses.replace(
        ctx, amp=rng.uniform(*variation.amplitude))
    second = _animate_body(rng, spec, second_ctx, variation)
    yaw = rng.choice([-0.5, 0.5]) * np.pi + rng.uniform(-np.pi / 6,
                                                        np.pi / 6)
    gap = rng.uniform(0.95, 1.1)
    facing = _axis_rotation(1, yaw) @ np.array([0.0, 0.0, 1.0])
    center = _sample_origin(rng)
    return np.stack([
        _to_camera(first, yaw, center - 0.5 * gap * facing),
        _to_camera(second, yaw + np.pi, center + 0.5 * gap * facing),
    ])


def _generate_sample(rng: np.random.Generator, index: int, label: int,
                     min_frames: int, max_frames: int,
                     variation: SyntheticVariation) -> dict:
    """Generate one annotation in the MMAction2 skeleton format."""
    spec = _CLASS_SPECS[label]
    num_frames = int(rng.integers(min_frames, max_frames + 1))
    ctx = _sample_context(rng, spec.base_freq, num_frames, variation)
    if spec.num_persons == 2:
        keypoint = _person_pair(rng, spec, ctx, variation)
    else:
        keypoint = _single_person(rng, spec, ctx, variation)
    keypoint = keypoint + rng.normal(0.0, variation.noise_std,
                                     keypoint.shape)
    return dict(
        frame_dir=f'synth_c{label:02d}_{index:05d}',
        label=label,
        keypoint=keypoint.astype(np.float32),
        total_frames=num_frames)


def _check_generator_args(num_samples: int, num_classes: int,
                          min_frames: int, max_frames: int) -> None:
    """Raise ``ValueError`` for arguments the generator cannot honour."""
    if num_samples < 0:
        raise ValueError(f'num_samples must be >= 0, got {num_samples}')
    if not 1 <= num_classes <= len(SYNTHETIC_CLASSES):
        raise ValueError(f'num_classes must be in [1, '
                         f'{len(SYNTHETIC_CLASSES)}], got {num_classes}')
    if not 2 <= min_frames <= max_frames:
        raise ValueError('need 2 <= min_frames <= max_frames, got '
                         f'min_frames={min_frames}, max_frames={max_frames}')


def generate_synthetic_skeletons(num_samples: int,
                                 seed: int = 0,
                                 num_classes: int = 8,
                                 min_frames: int = 48,
                                 max_frames: int = 120,
                                 variation: Union[None, dict,
                                                  SyntheticVariation] = None
                                 ) -> List[dict]:
    """Generate synthetic NTU RGB+D style 3D skeleton annotations.

    Labels cycle through the classes (``index % num_classes``), so the class
    counts differ by at most one. Every sample draws from its own random
    stream spawned from ``seed``, hence sample ``i`` does not depend on
    ``num_samples`` and the output is fully reproducible.

    Args:
        num_samples (int): Number of annotations to generate.
        seed (int): Non-negative seed of the random streams. Defaults to 0.
        num_classes (int): Use the first ``num_classes`` entries of
            :data:`SYNTHETIC_CLASSES`. Defaults to 8 (all of them).
        min_frames (int): Minimum sequence length. Defaults to 48.
        max_frames (int): Maximum sequence length (inclusive).
            Defaults to 120.
        variation (dict | SyntheticVariation, optional): How much the clips
            of a class differ (:class:`SyntheticVariation`; a dict holds
            some of its fields). Defaults to None (its defaults).

    Returns:
        list[dict]: Annotations with ``frame_dir`` (str), ``label`` (int),
        ``keypoint`` (float32 array of shape (M, T, 25, 3), M in {1, 2},
        metres in camera space) and ``total_frames`` (T).

    Raises:
        ValueError: If an argument is out of range, e.g. ``num_classes``
            exceeds the number of available classes.
    """
    _check_generator_args(num_samples, num_classes, min_frames, max_frames)
    variation = _as_variation(variation)
    streams = np.random.SeedSequence(seed).spawn(num_samples)
    return [
        _generate_sample(
            np.random.default_rng(stream), index, index % num_classes,
            min_frames, max_frames, variation)
        for index, stream in enumerate(streams)
    ]


def _split_seed(seed: int, split: str) -> int:
    """Derive an independent generator seed for a dataset split."""
    if split not in _SPLIT_KEYS:
        raise ValueError(
            f'split must be one of {sorted(_SPLIT_KEYS)}, got {split!r}')
    state = np.random.SeedSequence([seed, _SPLIT_KEYS[split]])
    return int(state.generate_state(1)[0])


@DATASETS.register_module()
class SyntheticSkeletonDataset(PerSampleSeedMixin, BaseActionDataset):
    """Procedurally generated 3D skeleton dataset, no download needed.

    The annotations come from :func:`generate_synthetic_skeletons` and follow
    the layout of MMAction2's ``PoseDataset`` on NTU RGB+D 3D skeletons, so
    the usual skeleton pipelines (``UniformSampleFrames``, ``PoseDecode``,
    ``FormatGCNInput`` ...) apply unchanged. The ``train`` and ``val`` splits
    are drawn from different seeds derived from ``seed``. Under a keyed
    ``ResumableSampler`` every sample's transforms are seeded from
    ``(seed, epoch, index)`` (:class:`PerSampleSeedMixin`).

    Args:
        pipeline (list[dict | callable]): A sequence of data transforms.
        num_samples (int): Number of samples in the split. Defaults to 512.
        split (str): ``'train'`` or ``'val'``. Defaults to ``'train'``.
        seed (int): Base seed shared by both splits. Defaults to 0.
        num_classes (int): Number of classes to use, taken from the start of
            :data:`SYNTHETIC_CLASSES`. Defaults to 8.
        min_frames (int): Minimum sequence length. Defaults to 48.
        max_frames (int): Maximum sequence length. Defaults to 120.
        variation (dict, optional): How much the clips of a class differ,
            some fields of :class:`SyntheticVariation` (``noise_std``,
            ``body_scale``, ``speed``, ``amplitude``, ``posture_std``).
            Defaults to None (its defaults).
        **kwargs: Forwarded to :class:`BaseActionDataset` (``test_mode``,
            ``metainfo``, ``indices`` ...).
    """

    METAINFO = dict(classes=SYNTHETIC_CLASSES)

    def __init__(self,
                 pipeline: List[Union[dict, Callable]],
                 num_samples: int = 512,
                 split: str = 'train',
                 seed: int = 0,
                 num_classes: int = 8,
                 min_frames: int = 48,
                 max_frames: int = 120,
                 variation: Optional[dict] = None,
                 **kwargs) -> None:
        _check_generator_args(num_samples, num_classes, min_frames,
                              max_frames)
        self.variation = _as_variation(variation)
        self.split = split
        self.generator_seed = _split_seed(seed, split)
        self.num_samples = num_samples
        self.min_frames = min_frames
        self.max_frames = max_frames
        metainfo = dict(classes=SYNTHETIC_CLASSES[:num_classes])
        metainfo.update(kwargs.pop('metainfo', None) or {})
        kwargs.setdefault('modality', 'Pose')
        super().__init__(
            ann_file='',
            pipeline=pipeline,
            metainfo=metainfo,
            num_classes=num_classes,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """Generate the annotations of the split.

        Returns:
            list[dict]: The generated annotations; ``frame_dir`` is prefixed
            with the split name so that names are unique across splits.
        """
        data_list = generate_synthetic_skeletons(
            self.num_samples,
            seed=self.generator_seed,
            num_classes=self.num_classes,
            min_frames=self.min_frames,
            max_frames=self.max_frames,
            variation=self.variation)
        for item in data_list:
            item['frame_dir'] = f"{self.split}_{item['frame_dir']}"
        return data_list
