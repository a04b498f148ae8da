"""Convert Northwestern-UCLA (N-UCLA) skeleton JSON files to MMAction2 format.

Input: the ``all_sqe`` folder, one ``aAA_sSS_eEE_vVV.json`` per sequence
with keys ``file_name``, ``label`` (1..10) and ``skeletons`` (``[T][20][3]``,
Kinect v1 SDK joint order, see :mod:`mmskel2vec.datasets.layouts`).

The action ids in the file names are 01-06, 08, 09, 11, 12; the stored
``label`` renumbers them 1..10, and the converter checks that every file
agrees with that mapping. Output labels are ``label - 1``; the sample name
(``frame_dir``) is the file name without ``.json``.

Protocol: cross-view, views 1 and 2 train (``xview_train``), view 3 tests
(``xview_val``).

Two files of the distributed copy hold a single frame
(:data:`NUCLA_SINGLE_FRAME_FILES`). A single frame carries no motion, which
is what both the pretraining targets and the action labels are about, so
they are skipped by default (``keep_single_frame=True`` keeps them, which
reproduces the 1020/464 split of the CTR-GCN release).
"""
import json
import os
import os.path as osp
import re
from typing import Optional

import numpy as np

from .common import (ConversionReport, InputProblem, finish_conversion,
                     make_annotation, map_with_progress, validate_keypoint)

NUM_JOINTS = 20

#: File-name action id -> stored 1-based label.
NUCLA_ACTION_TO_LABEL = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 8: 7, 9: 8,
                         11: 9, 12: 10}

#: Class names in label order (index = output label).
NUCLA_CLASS_NAMES = (
    'pick up with one hand', 'pick up with two hands', 'drop trash',
    'walk around', 'sit down', 'stand up', 'donning', 'doffing', 'throw',
    'carry')

#: Views used for training in the cross-view protocol.
NUCLA_TRAIN_VIEWS = (1, 2)

#: Known one-frame sequences of the distributed copy (skipped by default).
NUCLA_SINGLE_FRAME_FILES = frozenset({'a02_s09_e04_v02', 'a02_s09_e04_v03'})

_NAME_RE = re.compile(r'^a(\d{2})_s(\d{2})_e(\d{2})_v(\d{2})$')


def load_nucla_sequence(path: str) -> np.ndarray:
    """Read one N-UCLA JSON file and check it against its name.

    Args:
        path (str): ``.../aAA_sSS_eEE_vVV.json``.

    Returns:
        np.ndarray: float32 ``(1, T, 20, 3)``.

    Raises:
        InputProblem: On a bad name, unreadable JSON, label mismatch, wrong
            shape, NaN or all-zero data.
    """
    name = osp.basename(path)[:-len('.json')]
    match = _NAME_RE.match(name)
    if match is None:
        raise InputProblem('file name is not of the form aAA_sSS_eEE_vVV')
    action = int(match.group(1))
    if action not in NUCLA_ACTION_TO_LABEL:
        raise InputProblem(f'unknown action id a{action:02d} (N-UCLA has '
                           f'{sorted(NUCLA_ACTION_TO_LABEL)})')
    try:
        with open(path, 'r') as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputProblem(f'cannot read JSON: {exc}') from exc
    if not isinstance(data, dict) or 'skeletons' not in data:
        raise InputProblem('JSON object has no "skeletons" key')
    if data.get('file_name', name) != name:
        raise InputProblem(f'"file_name" is {data.get("file_name")!r}, '
                           'expected the file name')
    expected = NUCLA_ACTION_TO_LABEL[action]
    if 'label' in data and data['label'] != expected:
        raise InputProblem(f'"label" is {data["label"]!r} but action '
                           f'a{action:02d} maps to label {expected}')
    try:
        coords = np.asarray(data['skeletons'], dtype=np.float64)
    except (TypeError, ValueError):
        raise InputProblem('"skeletons" is not a rectangular [T][20][3] '
                           'array of numbers') from None
    if coords.size == 0:
        raise InputProblem('sequence has no frames')
    if coords.ndim != 3 or coords.shape[1:] != (NUM_JOINTS, 3):
        raise InputProblem(f'"skeletons" has shape {coords.shape}, expected '
                           f'(T, {NUM_JOINTS}, 3)')
    keypoint = coords[None].astype(np.float32)
    validate_keypoint(keypoint, num_joints=NUM_JOINTS)
    return keypoint


def convert_nucla(data_dir: str,
                  out_path: Optional[str],
                  keep_single_frame: bool = False,
                  skip_bad: bool = False,
                  nproc: int = 1,
                  progress: bool = False) -> ConversionReport:
    """Convert N-UCLA into one annotation file (cross-view splits).

    Args:
        data_dir (str): The ``all_sqe`` folder with the JSON files, or the
            dataset root holding it.
        out_path (str, optional): Output ``.pkl``; ``None`` writes nothing.
        keep_single_frame (bool): Keep the two known one-frame files.
        skip_bad (bool): Leave bad samples out (counted) instead of failing.
        nproc (int): Worker processes.
        progress (bool): Show a progress bar.

    Returns:
        ConversionReport: What was done.

    Raises:
        ConversionError: On bad input when ``skip_bad`` is False.
    """
    if osp.isdir(osp.join(data_dir, 'all_sqe')):
        data_dir = osp.join(data_dir, 'all_sqe')
    if not osp.isdir(data_dir):
        raise FileNotFoundError(f'N-UCLA folder not found: {data_dir}')
    report = ConversionReport('N-UCLA (Northwestern-UCLA Multiview Action 3D)')
    paths = [osp.join(data_dir, f) for f in sorted(os.listdir(data_dir))
             if f.endswith('.json')]
    report.num_inputs = len(paths)
    todo = []
    for path in paths:
        name = osp.basename(path)[:-len('.json')]
        if name in NUCLA_SINGLE_FRAME_FILES and not keep_single_frame:
            report.skip(name, 'known one-frame sequence (no motion; '
                        'keep with --keep-single-frame)')
            continue
        todo.append(path)
    results = map_with_progress(load_nucla_sequence, todo, nproc, progress)
    annotations = []
    splits = {'xview_train': [], 'xview_val': []}
    for path, result in zip(todo, results):
        if isinstance(result, InputProblem):
            report.add_problem(path, str(result))
            continue
        name = osp.basename(path)[:-len('.json')]
        match = _NAME_RE.match(name)
        action, view = int(match.group(1)), int(match.group(4))
        annotations.append(
            make_annotation(name, NUCLA_ACTION_TO_LABEL[action] - 1, result))
        key = 'xview_train' if view in NUCLA_TRAIN_VIEWS else 'xview_val'
        splits[key].append(name)
    report.note('cross-view: views 1 and 2 train, view 3 is the test set')
    return finish_conversion(report, annotations, splits, out_path, skip_bad,
                             extra={'class_names': list(NUCLA_CLASS_NAMES)})
