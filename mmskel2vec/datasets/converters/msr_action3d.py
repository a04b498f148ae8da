"""Convert MSR Action3D real-world skeletons to MMAction2 format.

Input: ``real_world_coordinates/aAA_sSS_eEE_skeleton3D.txt`` (one line per
joint, ``x y z c``, 20 lines per frame, MSR Action3D joint order, see
:mod:`mmskel2vec.datasets.layouts`) and ``files_used_in_cvpr12_paper.txt``
(557 sequence ids). The 4th value ``c`` is a per-joint confidence/quality
flag, not a coordinate, and is dropped.

By default only the 557 sequences of the CVPR 2012 protocol are converted;
the other files are skipped and counted. Frames whose 20 joints are all
zero (tracking failures) are dropped: trailing ones are trimmed, and the
few leading or interior ones are removed too (MMAction2's ``PreNormalize3D``
would drop them anyway); the summary counts them. A sequence with no
non-zero frame is bad input, except the documented ``a13_s09_e02``
(outside the 557 list), which is skipped.

Labels are ``AA - 1`` (20 classes); the sample name is ``aAA_sSS_eEE``.
Protocol: cross-subject, odd subjects train, even subjects test.
"""
import os
import os.path as osp
import re
from typing import Optional, Tuple

import numpy as np

from .common import (ConversionReport, InputProblem, finish_conversion,
                     make_annotation, map_with_progress, validate_keypoint)

NUM_JOINTS = 20
NUM_ACTIONS = 20
NUM_SUBJECTS = 10
VALUES_PER_JOINT = 4

#: Name of the list of sequences used in the CVPR 2012 protocol.
MSR_CVPR12_LIST = 'files_used_in_cvpr12_paper.txt'

#: Class names in label order (index = action id - 1).
MSR_ACTION3D_CLASS_NAMES = (
    'high arm wave', 'horizontal arm wave', 'hammer', 'hand catch',
    'forward punch', 'high throw', 'draw x', 'draw tick', 'draw circle',
    'hand clap', 'two hand wave', 'side-boxing', 'bend', 'forward kick',
    'side kick', 'jogging', 'tennis swing', 'tennis serve', 'golf swing',
    'pick up & throw')

#: Sequences known to contain no valid frame at all.
MSR_KNOWN_ALL_ZERO = frozenset({'a13_s09_e02'})

_NAME_RE = re.compile(r'^a(\d{2})_s(\d{2})_e(\d{2})_skeleton3D\.txt$')


def load_msr_sequence(path: str) -> Tuple[np.ndarray, Tuple[int, int, int]]:
    """Read one MSR Action3D skeleton file and drop all-zero frames.

    Args:
        path (str): ``.../aAA_sSS_eEE_skeleton3D.txt``.

    Returns:
        tuple: ``(keypoint, (leading, interior, trailing))`` with
        ``keypoint`` float32 ``(1, T, 20, 3)`` and the numbers of all-zero
        frames removed at each position.

    Raises:
        InputProblem: On an unreadable or truncated file, non-numeric or
            NaN values, or a sequence without any non-zero frame.
    """
    try:
        with open(path, 'r') as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputProblem(f'cannot read file: {exc}') from exc
    try:
        values = np.array(text.split(), dtype=np.float64)
    except ValueError:
        raise InputProblem('non-numeric values') from None
    per_frame = NUM_JOINTS * VALUES_PER_JOINT
    if values.size == 0:
        raise InputProblem('sequence has no frames (empty file)')
    if values.size % per_frame:
        raise InputProblem(f'{values.size} values is not a whole number of '
                           f'frames ({NUM_JOINTS} joints x '
                           f'{VALUES_PER_JOINT} values); truncated file?')
    coords = values.reshape(-1, NUM_JOINTS, VALUES_PER_JOINT)[..., :3]
    if not np.all(np.isfinite(coords)):
        raise InputProblem('sequence contains NaN or infinite coordinates')
    valid = np.any(coords != 0, axis=(1, 2))
    if not valid.any():
        raise InputProblem(f'all {len(valid)} frames are all-zero')
    idx = np.flatnonzero(valid)
    leading = int(idx[0])
    trailing = int(len(valid) - 1 - idx[-1])
    interior = int((~valid).sum()) - leading - trailing
    keypoint = coords[valid][None].astype(np.float32)
    validate_keypoint(keypoint, num_joints=NUM_JOINTS)
    return keypoint, (leading, interior, trailing)


def read_id_list(path: str) -> list:
    """Read a whitespace-separated list of sequence ids.

    Args:
        path (str): E.g. ``files_used_in_cvpr12_paper.txt``.

    Returns:
        list[str]: The ids in file order.
    """
    with open(path, 'r') as f:
        return f.read().split()


def _resolve_dirs(data_dir: str) -> Tuple[str, str]:
    """Accept the dataset root or its ``real_world_coordinates`` folder."""
    inner = osp.join(data_dir, 'real_world_coordinates')
    if osp.isdir(inner):
        return inner, osp.join(data_dir, MSR_CVPR12_LIST)
    return data_dir, osp.join(osp.dirname(osp.abspath(data_dir)),
                              MSR_CVPR12_LIST)


def convert_msr_action3d(data_dir: str,
                         out_path: Optional[str],
                         id_list: Optional[str] = None,
                         use_all_files: bool = False,
                         skip_bad: bool = False,
                         nproc: int = 1,
                         progress: bool = False) -> ConversionReport:
    """Convert MSR Action3D into one annotation file (cross-subject splits).

    Args:
        data_dir (str): Dataset root holding ``real_world_coordinates/`` and
            the id list, or the ``real_world_coordinates`` folder itself.
        out_path (str, optional): Output ``.pkl``; ``None`` writes nothing.
        id_list (str, optional): Path of the id list; defaults to
            ``files_used_in_cvpr12_paper.txt`` next to the skeleton folder.
        use_all_files (bool): Convert every file instead of the listed ones.
        skip_bad (bool): Leave bad samples out (counted) instead of failing.
        nproc (int): Worker processes.
        progress (bool): Show a progress bar.

    Returns:
        ConversionReport: What was done.

    Raises:
        ConversionError: On bad input when ``skip_bad`` is False.
    """
    skel_dir, default_list = _resolve_dirs(data_dir)
    if not osp.isdir(skel_dir):
        raise FileNotFoundError(f'MSR Action3D folder not found: {data_dir}')
    report = ConversionReport('MSR Action3D')
    files = {}
    for fname in sorted(os.listdir(skel_dir)):
        if not fname.endswith('.txt'):
            continue
        path = osp.join(skel_dir, fname)
        if _NAME_RE.match(fname) is None:
            report.add_problem(path, 'file name is not of the form '
                               'aAA_sSS_eEE_skeleton3D.txt')
            continue
        files[fname[:len('aAA_sSS_eEE')]] = path

    selected = set(files)
    if not use_all_files:
        list_path = id_list or default_list
        if not osp.isfile(list_path):
            raise FileNotFoundError(
                f'id list not found: {list_path} (pass id_list, or '
                'use_all_files=True / --all-files)')
        listed = read_id_list(list_path)
        for name in sorted(set(listed) - set(files)):
            report.add_problem(osp.join(skel_dir,
                                        f'{name}_skeleton3D.txt'),
                               f'listed in {osp.basename(list_path)} but '
                               'the file is missing')
        selected = set(listed) & set(files)
        for name in sorted(set(files) - selected):
            report.skip(name, f'not in {osp.basename(list_path)} (left out '
                        'of the CVPR 2012 protocol as corrupted or too '
                        'noisy; use --all-files to keep)')
        report.note(f'{len(listed)} ids in {osp.basename(list_path)}; '
                    f'{len(files) - len(selected)} of {len(files)} files '
                    'are not listed and were left out')

    todo = []
    for name in sorted(selected):
        action, subject = int(name[1:3]), int(name[5:7])
        path = files[name]
        if name in MSR_KNOWN_ALL_ZERO:
            report.skip(name, 'known to hold only all-zero frames')
            continue
        if not 1 <= action <= NUM_ACTIONS:
            report.add_problem(path, f'unknown action id {action} (MSR '
                               f'Action3D has 1..{NUM_ACTIONS})')
            continue
        if not 1 <= subject <= NUM_SUBJECTS:
            report.add_problem(path, f'subject {subject} out of range '
                               f'1..{NUM_SUBJECTS}')
            continue
        todo.append((name, path, action, subject))
    report.num_inputs = len(files)

    results = map_with_progress(load_msr_sequence, [t[1] for t in todo],
                                nproc, progress)
    annotations = []
    splits = {'xsub_train': [], 'xsub_val': []}
    zero = np.zeros(3, dtype=int)
    zero_seqs = 0
    for (name, path, action, subject), result in zip(todo, results):
        if isinstance(result, InputProblem):
            report.add_problem(path, str(result))
            continue
        keypoint, dropped = result
        zero += dropped
        zero_seqs += any(dropped)
        annotations.append(make_annotation(name, action - 1, keypoint))
        splits['xsub_train' if subject % 2 else 'xsub_val'].append(name)
    report.note(f'all-zero frames dropped in {zero_seqs} sequences: '
                f'{zero[2]} trailing (trimmed), {zero[1]} interior, '
                f'{zero[0]} leading')
    report.note('cross-subject: odd subjects train, even subjects test')
    return finish_conversion(
        report, annotations, splits, out_path, skip_bad,
        extra={'class_names': list(MSR_ACTION3D_CLASS_NAMES)})
