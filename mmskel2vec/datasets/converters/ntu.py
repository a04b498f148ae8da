"""Convert NTU RGB+D 60 / 120 raw ``.skeleton`` files to MMAction2 format.

Raw file layout (Kinect v2, one file per sample), all whitespace separated:

* line 1: number of frames;
* per frame: number of bodies, then per body

  - a 10-value body info line whose first value is the body (tracking) id,
  - the joint count (25),
  - 25 joint lines of 12 values: ``x y z depthX depthY colorX colorY
    orientW orientX orientY orientZ trackingState``.

Only the camera-space ``x y z`` are kept. A sample keeps at most two
bodies: every body id is a track, its *activity* is the summed variance of
its joint coordinates over the frames it is tracked in (averaged over
joints), and the two most active tracks are kept, most active first. A kept
body is zero-filled in frames where it is absent; frames in which none of
the kept bodies appears are dropped.

Splits: NTU-60 ``xsub`` (20 training subjects) and ``xview`` (cameras 2 and
3 train); NTU-120 ``xsub`` (53 training subjects) and ``xset`` (even setup
ids train). Samples on the published missing-skeleton lists are skipped.
"""
import os
import os.path as osp
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from .common import (ConversionReport, InputProblem, finish_conversion,
                     make_annotation, map_with_progress, validate_keypoint)
from .ntu_missing import missing_skeleton_samples

NUM_JOINTS = 25
MAX_BODIES = 2
VALUES_PER_JOINT = 12
BODY_INFO_VALUES = 10

#: Cross-subject training subjects of NTU RGB+D 60.
NTU60_XSUB_TRAIN_SUBJECTS = (1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19,
                             25, 27, 28, 31, 34, 35, 38)
#: Cross-subject training subjects of NTU RGB+D 120 (53 of 106).
NTU120_XSUB_TRAIN_SUBJECTS = NTU60_XSUB_TRAIN_SUBJECTS + (
    45, 46, 47, 49, 50, 52, 53, 54, 55, 56, 57, 58, 59, 70, 74, 78, 80, 81,
    82, 83, 84, 85, 86, 89, 91, 92, 93, 94, 95, 97, 98, 100, 103)
#: Cross-view training cameras of NTU RGB+D 60.
NTU60_XVIEW_TRAIN_CAMERAS = (2, 3)

#: Largest setup / action id per version.
_LIMITS = {60: dict(setup=17, action=60), 120: dict(setup=32, action=120)}

_NAME_RE = re.compile(r'^S(\d{3})C(\d{3})P(\d{3})R(\d{3})A(\d{3})$')


@dataclass(frozen=True)
class NTUSampleId:
    """Fields encoded in an NTU sample name ``SsssCcccPpppRrrrAaaa``."""

    setup: int
    camera: int
    subject: int
    replication: int
    action: int

    @classmethod
    def parse(cls, name: str) -> 'NTUSampleId':
        """Parse a sample name.

        Args:
            name (str): E.g. ``'S001C002P003R001A060'``.

        Returns:
            NTUSampleId: The parsed ids.

        Raises:
            InputProblem: If the name does not follow the pattern.
        """
        match = _NAME_RE.match(name)
        if match is None:
            raise InputProblem(f'file name {name!r} is not of the form '
                               'SsssCcccPpppRrrrAaaa')
        return cls(*(int(x) for x in match.groups()))


Frames = List[List[Tuple[str, np.ndarray]]]


def read_skeleton_file(path: str) -> Tuple[int, Frames]:
    """Read a raw NTU ``.skeleton`` file.

    Args:
        path (str): The file.

    Returns:
        tuple: ``(num_frames, frames)`` where ``frames[t]`` is a list of
        ``(body_id, joints)`` with ``joints`` a float64 ``(25, 3)`` array.

    Raises:
        InputProblem: On a malformed, truncated or unreadable file.
    """
    try:
        with open(path, 'r') as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputProblem(f'cannot read file: {exc}') from exc
    while lines and not lines[-1].strip():
        lines.pop()
    pos = 0

    def next_line(what: str) -> str:
        nonlocal pos
        if pos >= len(lines):
            raise InputProblem(f'file ends early (truncated?) while reading '
                               f'{what}')
        pos += 1
        return lines[pos - 1]

    def read_int(what: str) -> int:
        text = next_line(what).strip()
        try:
            return int(text)
        except ValueError:
            raise InputProblem(f'line {pos}: expected {what} (an integer), '
                               f'got {text[:40]!r}') from None

    num_frames = read_int('the frame count')
    if num_frames < 0:
        raise InputProblem(f'negative frame count {num_frames}')
    frames: Frames = []
    for t in range(num_frames):
        where = f'frame {t + 1}/{num_frames}'
        num_bodies = read_int(f'the body count of {where}')
        bodies = []
        for b in range(num_bodies):
            info = next_line(f'body {b + 1} info of {where}').split()
            if len(info) != BODY_INFO_VALUES:
                raise InputProblem(
                    f'line {pos}: body info of {where} has {len(info)} '
                    f'values, expected {BODY_INFO_VALUES}')
            num_joints = read_int(f'the joint count of {where}')
            if num_joints != NUM_JOINTS:
                raise InputProblem(f'line {pos}: {num_joints} joints in '
                                   f'{where}, expected {NUM_JOINTS}')
            if pos + NUM_JOINTS > len(lines):
                raise InputProblem(f'file ends early (truncated?) inside the '
                                   f'joints of {where}')
            block = lines[pos:pos + NUM_JOINTS]
            try:
                values = np.array(' '.join(block).split(), dtype=np.float64)
            except ValueError:
                raise InputProblem(f'lines {pos + 1}-{pos + NUM_JOINTS}: '
                                   f'non-numeric joint values in '
                                   f'{where}') from None
            if values.size != NUM_JOINTS * VALUES_PER_JOINT:
                raise InputProblem(
                    f'lines {pos + 1}-{pos + NUM_JOINTS}: {values.size} joint '
                    f'values in {where}, expected '
                    f'{NUM_JOINTS * VALUES_PER_JOINT}')
            pos += NUM_JOINTS
            joints = values.reshape(NUM_JOINTS, VALUES_PER_JOINT)[:, :3]
            bodies.append((info[0], joints))
        frames.append(bodies)
    if pos != len(lines):
        raise InputProblem(f'line {pos + 1}: unexpected content after the '
                           f'last of {num_frames} frames')
    return num_frames, frames


def body_activity(coords: np.ndarray) -> float:
    """Activity of one tracked body: mean over joints of summed xyz variance.

    Args:
        coords (np.ndarray): ``(T, V, 3)`` positions over the frames the body
            is tracked in.

    Returns:
        float: 0 for fewer than two frames.
    """
    if coords.shape[0] < 2:
        return 0.0
    return float(coords.var(axis=0).sum(axis=-1).mean())


def select_bodies(frames: Frames,
                  max_bodies: int = MAX_BODIES) -> np.ndarray:
    """Keep the most active bodies of a sample.

    Args:
        frames (list): Output of :func:`read_skeleton_file`.
        max_bodies (int): How many bodies to keep. Defaults to 2.

    Returns:
        np.ndarray: ``(M, T', 25, 3)`` float32 with ``M <= max_bodies``,
        most active body first; ``T'`` counts the frames in which at least
        one kept body is present. ``M == 0`` if no body is ever tracked.
    """
    tracks: Dict[str, Dict[int, np.ndarray]] = {}
    for t, bodies in enumerate(frames):
        for body_id, joints in bodies:
            # A repeated id within one frame keeps its first occurrence.
            tracks.setdefault(body_id, {}).setdefault(t, joints)
    if not tracks:
        return np.zeros((0, 0, NUM_JOINTS, 3), dtype=np.float32)
    first_seen = {bid: min(track) for bid, track in tracks.items()}
    order = sorted(
        tracks,
        key=lambda bid: (-body_activity(np.stack(list(tracks[bid].values()))),
                         first_seen[bid], bid))
    chosen = order[:max_bodies]
    kept_frames = sorted({t for bid in chosen for t in tracks[bid]})
    index = {t: i for i, t in enumerate(kept_frames)}
    out = np.zeros((len(chosen), len(kept_frames), NUM_JOINTS, 3),
                   dtype=np.float32)
    for m, bid in enumerate(chosen):
        for t, joints in tracks[bid].items():
            out[m, index[t]] = joints
    return out


def load_ntu_sample(path: str) -> np.ndarray:
    """Read one ``.skeleton`` file and select its bodies.

    Args:
        path (str): The file.

    Returns:
        np.ndarray: ``(M, T, 25, 3)`` float32 keypoints.

    Raises:
        InputProblem: If the file is bad or holds no usable skeleton.
    """
    num_frames, frames = read_skeleton_file(path)
    if num_frames == 0:
        raise InputProblem('sequence has no frames (frame count is 0)')
    keypoint = select_bodies(frames)
    if keypoint.shape[0] == 0:
        raise InputProblem(f'no body is tracked in any of the {num_frames} '
                           'frames')
    validate_keypoint(keypoint, num_joints=NUM_JOINTS)
    return keypoint


def ntu_splits(version: int,
               samples: Dict[str, NTUSampleId]) -> Dict[str, List[str]]:
    """Build the official splits.

    Args:
        version (int): 60 (``xsub``, ``xview``) or 120 (``xsub``, ``xset``).
        samples (dict[str, NTUSampleId]): Sample name -> parsed ids.

    Returns:
        dict[str, list[str]]: Split name -> sorted sample names.
    """
    subjects = set(NTU60_XSUB_TRAIN_SUBJECTS if version == 60 else
                   NTU120_XSUB_TRAIN_SUBJECTS)
    rules = {'xsub': lambda s: s.subject in subjects}
    if version == 60:
        rules['xview'] = lambda s: s.camera in NTU60_XVIEW_TRAIN_CAMERAS
    else:
        rules['xset'] = lambda s: s.setup % 2 == 0
    splits: Dict[str, List[str]] = {}
    for prefix, is_train in rules.items():
        names = sorted(samples)
        splits[f'{prefix}_train'] = [n for n in names if is_train(samples[n])]
        splits[f'{prefix}_val'] = [
            n for n in names if not is_train(samples[n])
        ]
    return splits


def convert_ntu(skeleton_dir: str,
                out_path: Optional[str],
                version: int = 60,
                skip_bad: bool = False,
                nproc: int = 1,
                progress: bool = False) -> ConversionReport:
    """Convert NTU RGB+D raw skeleton files into one annotation file.

    Args:
        skeleton_dir (str): Folder with ``*.skeleton`` files (for NTU-120 it
            may hold all 114,480 files; subfolders are not searched).
        out_path (str, optional): Output ``.pkl``; ``None`` writes nothing.
        version (int): 60 or 120. With 60, files of setups S018-S032 in the
            folder are ignored (noted in the summary).
        skip_bad (bool): Leave bad samples out (counted) instead of failing.
        nproc (int): Worker processes for parsing.
        progress (bool): Show a progress bar.

    Returns:
        ConversionReport: What was done.

    Raises:
        ConversionError: On bad input when ``skip_bad`` is False.
    """
    if version not in _LIMITS:
        raise ValueError(f'version must be 60 or 120, got {version}')
    if not osp.isdir(skeleton_dir):
        raise FileNotFoundError(f'skeleton folder not found: {skeleton_dir}')
    limits = _LIMITS[version]
    report = ConversionReport(f'NTU RGB+D {version}')
    missing = missing_skeleton_samples(version)

    todo: List[Tuple[str, NTUSampleId]] = []
    outside = 0
    for fname in sorted(os.listdir(skeleton_dir)):
        if not fname.endswith('.skeleton'):
            continue
        name = fname[:-len('.skeleton')]
        path = osp.join(skeleton_dir, fname)
        report.num_inputs += 1
        try:
            sid = NTUSampleId.parse(name)
        except InputProblem as exc:
            report.add_problem(path, str(exc))
            continue
        if version == 60 and sid.setup > limits['setup']:
            outside += 1
            continue
        if not 1 <= sid.action <= limits['action']:
            report.add_problem(
                path, f'unknown action id A{sid.action:03d} (NTU-{version} '
                f'has A001-A{limits["action"]:03d})')
            continue
        if not (1 <= sid.setup <= limits['setup'] and 1 <= sid.camera <= 3
                and sid.subject >= 1):
            report.add_problem(path, 'setup/camera/subject id out of range')
            continue
        if name in missing:
            report.skip(name, 'on the published list of samples with '
                        'missing skeletons')
            continue
        todo.append((name, sid))
    if outside:
        report.num_inputs -= outside
        report.note(f'{outside} files of setups S018-S032 (NTU-120 only) '
                    'were ignored')
    report.note(f'{len(missing)} samples are on the published '
                f'missing-skeleton list of NTU-{version}; '
                f'{len(report.skipped)} of them were present and skipped')

    paths = [osp.join(skeleton_dir, f'{name}.skeleton') for name, _ in todo]
    results = map_with_progress(load_ntu_sample, paths, nproc,
                                progress)
    annotations = []
    samples: Dict[str, NTUSampleId] = {}
    two_body = 0
    for (name, sid), path, result in zip(todo, paths, results):
        if isinstance(result, InputProblem):
            report.add_problem(path, str(result))
            continue
        two_body += result.shape[0] == 2
        annotations.append(make_annotation(name, sid.action - 1, result))
        samples[name] = sid
    report.note(f'{two_body} samples keep two bodies, the others one')
    return finish_conversion(report, annotations,
                             ntu_splits(version, samples), out_path,
                             skip_bad)
