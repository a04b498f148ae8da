"""Convert UTD-MHAD Kinect skeletons (``.mat``) to MMAction2 format.

Input: the ``Skeleton`` folder with ``a{A}_s{S}_t{T}_skeleton.mat`` files
(numbers not zero-padded). Each holds ``d_skel``, a float64 array of shape
``(20, 3, T)`` (joints x xyz x frames) in the UTD-MHAD joint order (see
:mod:`mmskel2vec.datasets.layouts`). It is transposed to ``(1, T, 20, 3)``.

Labels are ``A - 1`` (27 classes); the sample name is the file name without
``_skeleton.mat``, e.g. ``a1_s1_t1``. Protocol: cross-subject, odd subjects
(1, 3, 5, 7) train, even subjects test. Of the 864 possible
action/subject/trial combinations three were never recorded
(:data:`UTD_MHAD_ABSENT`); other gaps are noted in the summary.
"""
import os
import os.path as osp
import re
from typing import Optional

import numpy as np

from .common import (ConversionReport, InputProblem, finish_conversion,
                     make_annotation, map_with_progress, validate_keypoint)

NUM_JOINTS = 20
NUM_ACTIONS = 27
NUM_SUBJECTS = 8
NUM_TRIALS = 4

#: Class names in label order (index = action id - 1).
UTD_MHAD_CLASS_NAMES = (
    'right arm swipe to the left', 'right arm swipe to the right',
    'right hand wave', 'two hand front clap', 'right arm throw',
    'cross arms in the chest', 'basketball shoot', 'right hand draw x',
    'right hand draw circle (clockwise)',
    'right hand draw circle (counter clockwise)', 'draw triangle',
    'bowling (right hand)', 'front boxing', 'baseball swing from right',
    'tennis right hand forehand swing', 'arm curl (two arms)', 'tennis serve',
    'two hand push', 'right hand knock on door', 'right hand catch an object',
    'right hand pick up and throw', 'jogging in place', 'walking in place',
    'sit to stand', 'stand to sit', 'forward lunge (left foot forward)',
    'squat (two arms stretch out)')

#: Combinations that do not exist in the dataset.
UTD_MHAD_ABSENT = frozenset({'a8_s1_t4', 'a23_s6_t4', 'a27_s8_t4'})

_NAME_RE = re.compile(r'^a(\d+)_s(\d+)_t(\d+)_skeleton\.mat$')


def load_utd_mhad_sequence(path: str) -> np.ndarray:
    """Read one UTD-MHAD ``.mat`` file.

    Args:
        path (str): ``.../a{A}_s{S}_t{T}_skeleton.mat``.

    Returns:
        np.ndarray: float32 ``(1, T, 20, 3)``.

    Raises:
        InputProblem: On an unreadable file, a missing ``d_skel`` variable,
            a wrong shape, NaN or all-zero data.
    """
    from scipy.io import loadmat
    try:
        mat = loadmat(path)
    except Exception as exc:  # scipy raises several types on corrupt files
        raise InputProblem(f'cannot read .mat file: {exc}') from exc
    if 'd_skel' not in mat:
        keys = sorted(k for k in mat if not k.startswith('__'))
        raise InputProblem(f'no "d_skel" variable (found {keys})')
    skel = np.asarray(mat['d_skel'])
    if skel.ndim != 3 or skel.shape[:2] != (NUM_JOINTS, 3):
        raise InputProblem(f'"d_skel" has shape {skel.shape}, expected '
                           f'({NUM_JOINTS}, 3, T)')
    try:
        keypoint = skel.astype(np.float32).transpose(2, 0, 1)[None]
    except (TypeError, ValueError):
        raise InputProblem('"d_skel" is not numeric') from None
    validate_keypoint(keypoint, num_joints=NUM_JOINTS)
    return keypoint


def convert_utd_mhad(data_dir: str,
                     out_path: Optional[str],
                     skip_bad: bool = False,
                     nproc: int = 1,
                     progress: bool = False) -> ConversionReport:
    """Convert UTD-MHAD into one annotation file (cross-subject splits).

    Args:
        data_dir (str): The ``Skeleton`` folder, or the dataset root
            holding it.
        out_path (str, optional): Output ``.pkl``; ``None`` writes nothing.
        skip_bad (bool): Leave bad samples out (counted) instead of failing.
        nproc (int): Worker processes.
        progress (bool): Show a progress bar.

    Returns:
        ConversionReport: What was done.

    Raises:
        ConversionError: On bad input when ``skip_bad`` is False.
    """
    if osp.isdir(osp.join(data_dir, 'Skeleton')):
        data_dir = osp.join(data_dir, 'Skeleton')
    if not osp.isdir(data_dir):
        raise FileNotFoundError(f'UTD-MHAD folder not found: {data_dir}')
    report = ConversionReport('UTD-MHAD')
    todo = []
    for fname in sorted(os.listdir(data_dir)):
        if not fname.endswith('.mat'):
            continue
        path = osp.join(data_dir, fname)
        report.num_inputs += 1
        match = _NAME_RE.match(fname)
        if match is None:
            report.add_problem(path, 'file name is not of the form '
                               'a{A}_s{S}_t{T}_skeleton.mat')
            continue
        action, subject, trial = (int(x) for x in match.groups())
        if not 1 <= action <= NUM_ACTIONS:
            report.add_problem(path, f'unknown action id {action} (UTD-MHAD '
                               f'has 1..{NUM_ACTIONS})')
            continue
        if not (1 <= subject <= NUM_SUBJECTS and 1 <= trial <= NUM_TRIALS):
            report.add_problem(path, f'subject {subject} / trial {trial} out '
                               f'of range (1..{NUM_SUBJECTS} / '
                               f'1..{NUM_TRIALS})')
            continue
        todo.append((path, f'a{action}_s{subject}_t{trial}', action,
                     subject))
    results = map_with_progress(load_utd_mhad_sequence,
                                [t[0] for t in todo], nproc, progress)
    annotations = []
    splits = {'xsub_train': [], 'xsub_val': []}
    for (path, name, action, subject), result in zip(todo, results):
        if isinstance(result, InputProblem):
            report.add_problem(path, str(result))
            continue
        annotations.append(make_annotation(name, action - 1, result))
        splits['xsub_train' if subject % 2 else 'xsub_val'].append(name)

    found = {t[1] for t in todo}
    expected = {f'a{a}_s{s}_t{t}' for a in range(1, NUM_ACTIONS + 1)
                for s in range(1, NUM_SUBJECTS + 1)
                for t in range(1, NUM_TRIALS + 1)}
    absent = expected - found
    report.note(f'{len(absent & UTD_MHAD_ABSENT)} of the '
                f'{len(expected)} action/subject/trial combinations are '
                'absent as documented (' +
                ', '.join(sorted(absent & UTD_MHAD_ABSENT)) + ')')
    other = sorted(absent - UTD_MHAD_ABSENT)
    if other:
        report.note(f'{len(other)} further combinations are absent from the '
                    f'input: {other[:10]}')
    report.note('cross-subject: odd subjects (1, 3, 5, 7) train, even '
                'subjects test')
    return finish_conversion(
        report, annotations, splits, out_path, skip_bad,
        extra={'class_names': list(UTD_MHAD_CLASS_NAMES)})
