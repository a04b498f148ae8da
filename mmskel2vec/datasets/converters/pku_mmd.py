"""Convert PKU-MMD phase I / II skeletons to MMAction2 format.

Inputs (both phases use the same text formats):

* skeleton files ``<video>.txt`` (phase I ``0002-L``, phase II
  ``A01N01-L``): one line per frame with 150 whitespace-separated values,
  2 persons x 25 Kinect v2 joints x ``x y z``; an absent person is zeros;
* label files ``<video>.txt``: one line per action interval,
  ``action_id,start_frame,end_frame,confidence``;
* split files (phase I ``cross-subject.txt``/``cross-view.txt``, phase II
  ``cross_subject_v2.txt``/``cross_view_v2.txt``): a ``Training videos:``
  header, a line of comma-separated video ids, a ``Validation videos:``
  header (spelled ``Validataion`` in the distributed files) and a line of
  ids.

Every labelled interval becomes one sample named ``<video>_<n>`` (``n`` is
the 1-based position of the interval in the label file). ``start_frame`` and
``end_frame`` are read as 1-based inclusive frame numbers, i.e. skeleton
rows ``start-1 .. end-1``; an interval reaching past the end of the skeleton
file is clipped (counted in the summary). Frames where neither person is
present are dropped; a person absent in the whole interval is removed, so
``M`` is 1 or 2. Labels are ``action_id - 1`` (51 classes in phase I, 41 in
phase II).
"""
import os
import os.path as osp
import re
from functools import partial
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from .common import (ConversionReport, InputProblem, finish_conversion,
                     make_annotation, map_with_progress, validate_keypoint)

NUM_JOINTS = 25
NUM_PERSONS = 2
VALUES_PER_FRAME = NUM_PERSONS * NUM_JOINTS * 3

#: Number of action classes per phase.
PKU_NUM_CLASSES = {1: 51, 2: 41}

#: Split file names tried per phase and protocol (first match wins).
PKU_SPLIT_FILES = {
    1: {'xsub': ('cross-subject.txt', 'cross_subject.txt'),
        'xview': ('cross-view.txt', 'cross_view.txt')},
    2: {'xsub': ('cross_subject_v2.txt', 'cross-subject_v2.txt',
                 'cross-subject.txt', 'cross_subject.txt'),
        'xview': ('cross_view_v2.txt', 'cross-view_v2.txt',
                  'cross-view.txt', 'cross_view.txt')},
}

_HEADER_RE = re.compile(r'^\s*(training|train|validataion|validation|val|'
                        r'testing|test)\b[^:]*:?', re.IGNORECASE)


def parse_split_file(path: str) -> Tuple[List[str], List[str]]:
    """Read a PKU-MMD split file.

    Args:
        path (str): E.g. ``cross-subject.txt``.

    Returns:
        tuple[list[str], list[str]]: Training and validation video ids.

    Raises:
        ValueError: If the file has no training/validation sections or a
            video is listed in both.
    """
    sections: Dict[str, List[str]] = {'train': [], 'val': []}
    current: Optional[str] = None
    seen = set()
    with open(path, 'r') as f:
        for lineno, line in enumerate(f, 1):
            text = line.strip()
            if not text:
                continue
            match = _HEADER_RE.match(text)
            if match:
                current = 'train' if match.group(1).lower().startswith(
                    'train') else 'val'
                seen.add(current)
                text = text[match.end():]
            if current is None:
                raise ValueError(f'{path}:{lineno}: video ids before any '
                                 '"Training"/"Validation" header')
            sections[current].extend(
                x for x in re.split(r'[,\s]+', text) if x)
    if seen != {'train', 'val'}:
        raise ValueError(f'{path}: expected a training and a validation '
                         f'section, found {sorted(seen) or "none"}')
    both = set(sections['train']) & set(sections['val'])
    if both:
        raise ValueError(f'{path}: {len(both)} videos are in both the '
                         f'training and validation lists, e.g. '
                         f'{sorted(both)[:3]}')
    return sections['train'], sections['val']


def read_pku_skeleton(path: str) -> np.ndarray:
    """Read a PKU-MMD skeleton file.

    Args:
        path (str): The file.

    Returns:
        np.ndarray: float64 array ``(T, 150)``.

    Raises:
        InputProblem: If a line does not hold 150 numbers or the file is
            unreadable or empty.
    """
    try:
        with open(path, 'r') as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputProblem(f'cannot read file: {exc}') from exc
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise InputProblem('skeleton file has no frames')
    rows = []
    for lineno, line in enumerate(lines, 1):
        parts = line.split()
        if len(parts) != VALUES_PER_FRAME:
            raise InputProblem(f'line {lineno} has {len(parts)} values, '
                               f'expected {VALUES_PER_FRAME} (truncated or '
                               'corrupt file?)')
        rows.append(parts)
    try:
        return np.array(rows, dtype=np.float64)
    except ValueError:
        raise InputProblem('non-numeric skeleton values') from None


def read_pku_labels(path: str) -> List[Tuple[int, int, int]]:
    """Read a PKU-MMD label file.

    Args:
        path (str): The file.

    Returns:
        list[tuple[int, int, int]]: ``(action_id, start, end)`` per line.

    Raises:
        InputProblem: On a malformed line or an empty file.
    """
    try:
        with open(path, 'r') as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputProblem(f'cannot read file: {exc}') from exc
    intervals = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(',')]
        try:
            values = [int(float(p)) for p in parts[:3]]
        except ValueError:
            values = []
        if len(parts) not in (3, 4) or len(values) != 3:
            raise InputProblem(f'line {lineno}: expected "label,start,end,'
                               f'confidence", got {line.strip()[:60]!r}')
        intervals.append(tuple(values))
    if not intervals:
        raise InputProblem('label file has no action interval')
    return intervals


def interval_keypoint(skeleton: np.ndarray, start: int,
                      end: int) -> Tuple[np.ndarray, Dict[str, int]]:
    """Cut one labelled interval out of a video and arrange it as ``MTVC``.

    Args:
        skeleton (np.ndarray): ``(T, 150)`` values of the whole video.
        start (int): First frame, 1-based.
        end (int): Last frame, 1-based, inclusive.

    Returns:
        tuple: ``(keypoint, counts)`` with ``keypoint`` float32
        ``(M, T', 25, 3)`` and ``counts`` holding ``clipped`` (1 if the
        interval was cut at the file end), ``dropped_frames`` and
        ``swapped`` (1 if only the second person slot was filled).

    Raises:
        InputProblem: If the interval is empty or outside the file.
    """
    total = skeleton.shape[0]
    if end < start:
        raise InputProblem(f'interval {start}-{end} ends before it starts')
    first = max(start - 1, 0)
    if first >= total:
        raise InputProblem(f'interval {start}-{end} starts after the last '
                           f'skeleton frame ({total}); truncated skeleton '
                           'file?')
    counts = {'clipped': int(end > total), 'dropped_frames': 0, 'swapped': 0}
    rows = skeleton[first:min(end, total)]
    kp = rows.reshape(-1, NUM_PERSONS, NUM_JOINTS, 3).transpose(1, 0, 2, 3)
    present = np.any(kp != 0, axis=(2, 3))  # (M, T)
    keep_t = present.any(axis=0)
    if not keep_t.any():
        raise InputProblem(f'interval {start}-{end}: all coordinates are '
                           'zero (no person present)')
    counts['dropped_frames'] = int((~keep_t).sum())
    kp, present = kp[:, keep_t], present[:, keep_t]
    persons = [m for m in range(NUM_PERSONS) if present[m].any()]
    if persons == [1]:
        counts['swapped'] = 1
    kp = kp[persons]
    return kp.astype(np.float32), counts


def load_pku_video(item: Tuple[str, str, str], num_classes: int
                   ) -> Dict[str, Any]:
    """Turn one video into its samples.

    Args:
        item (tuple[str, str, str]): ``(video_id, skeleton_path,
            label_path)``.
        num_classes (int): Valid action ids are ``1..num_classes``.

    Returns:
        dict: ``samples`` (list of ``(frame_dir, label, keypoint)``),
        ``problems`` (list of ``(source, message)``) and counters.
    """
    video, skel_path, label_path = item
    out: Dict[str, Any] = {'samples': [], 'problems': [], 'clipped': 0,
                           'dropped_frames': 0, 'swapped': 0}
    try:
        intervals = read_pku_labels(label_path)
    except InputProblem as exc:
        out['problems'].append((label_path, str(exc)))
        return out
    try:
        skeleton = read_pku_skeleton(skel_path)
    except InputProblem as exc:
        out['problems'].append((skel_path, str(exc)))
        return out
    for n, (action, start, end) in enumerate(intervals, 1):
        name = f'{video}_{n}'
        source = f'{label_path} (interval {n}, sample {name})'
        if not 1 <= action <= num_classes:
            out['problems'].append(
                (source, f'unknown action id {action} (expected 1..'
                 f'{num_classes})'))
            continue
        try:
            kp, counts = interval_keypoint(skeleton, start, end)
            validate_keypoint(kp, num_joints=NUM_JOINTS)
        except InputProblem as exc:
            out['problems'].append((source, str(exc)))
            continue
        for key, value in counts.items():
            out[key] += value
        out['samples'].append((name, action - 1, kp))
    return out


def _find_split_file(split_dir: str, phase: int, protocol: str) -> str:
    for name in PKU_SPLIT_FILES[phase][protocol]:
        path = osp.join(split_dir, name)
        if osp.isfile(path):
            return path
    raise FileNotFoundError(
        f'no {protocol} split file in {split_dir} (tried '
        f'{", ".join(PKU_SPLIT_FILES[phase][protocol])})')


def _list_txt(folder: str) -> Dict[str, str]:
    return {f[:-4]: osp.join(folder, f) for f in sorted(os.listdir(folder))
            if f.endswith('.txt')}


def convert_pku_mmd(skeleton_dir: str,
                    label_dir: str,
                    out_path: Optional[str],
                    phase: int = 1,
                    split_dir: Optional[str] = None,
                    split_files: Optional[Dict[str, str]] = None,
                    num_classes: Optional[int] = None,
                    skip_bad: bool = False,
                    nproc: int = 1,
                    progress: bool = False) -> ConversionReport:
    """Convert PKU-MMD phase I or II into one annotation file.

    Args:
        skeleton_dir (str): Folder with ``<video>.txt`` skeleton files.
        label_dir (str): Folder with ``<video>.txt`` label files.
        out_path (str, optional): Output ``.pkl``; ``None`` writes nothing.
        phase (int): 1 or 2.
        split_dir (str, optional): Folder holding the split files under
            their distributed names (see :data:`PKU_SPLIT_FILES`).
        split_files (dict[str, str], optional): Explicit ``{'xsub': path,
            'xview': path}``; overrides ``split_dir``.
        num_classes (int, optional): Valid action ids are 1..num_classes;
            defaults to 51 (phase I) or 41 (phase II).
        skip_bad (bool): Leave bad samples out (counted) instead of failing.
        nproc (int): Worker processes.
        progress (bool): Show a progress bar.

    Returns:
        ConversionReport: What was done.

    Raises:
        ConversionError: On bad input when ``skip_bad`` is False.
    """
    if phase not in PKU_NUM_CLASSES:
        raise ValueError(f'phase must be 1 or 2, got {phase}')
    num_classes = num_classes or PKU_NUM_CLASSES[phase]
    for folder in (skeleton_dir, label_dir):
        if not osp.isdir(folder):
            raise FileNotFoundError(f'folder not found: {folder}')
    files = dict(split_files or {})
    for protocol in ('xsub', 'xview'):
        if protocol not in files:
            if split_dir is None:
                raise ValueError(f'no {protocol} split file given (pass '
                                 'split_dir or split_files)')
            files[protocol] = _find_split_file(split_dir, phase, protocol)
    split_lists = {p: parse_split_file(files[p]) for p in ('xsub', 'xview')}

    report = ConversionReport(f'PKU-MMD phase {"I" * phase}')
    labels = _list_txt(label_dir)
    skeletons = _list_txt(skeleton_dir)
    items: List[Tuple[str, str, str]] = []
    for video, label_path in labels.items():
        if video not in skeletons:
            report.add_problem(label_path, 'no skeleton file '
                               f'{video}.txt in {skeleton_dir}')
            continue
        items.append((video, skeletons[video], label_path))
    unlabelled = sorted(set(skeletons) - set(labels))
    if unlabelled:
        report.note(f'{len(unlabelled)} skeleton files have no label file '
                    f'and were ignored (e.g. {unlabelled[:3]})')

    results = map_with_progress(
        partial(load_pku_video, num_classes=num_classes), items, nproc,
        progress)
    report.num_inputs = len(items)
    annotations = []
    video_of: Dict[str, str] = {}
    totals = {'clipped': 0, 'dropped_frames': 0, 'swapped': 0}
    for (video, _, _), result in zip(items, results):
        for source, message in result['problems']:
            report.add_problem(source, message)
        for key in totals:
            totals[key] += result[key]
        for name, label, kp in result['samples']:
            annotations.append(make_annotation(name, label, kp))
            video_of[name] = video
    report.note(f'{len(items)} videos -> {len(annotations)} action '
                'intervals (one sample each)')
    if totals['clipped']:
        report.note(f'{totals["clipped"]} intervals reached past the end of '
                    'their skeleton file and were clipped')
    if totals['dropped_frames']:
        report.note(f'{totals["dropped_frames"]} frames without any person '
                    'were dropped')
    if totals['swapped']:
        report.note(f'{totals["swapped"]} intervals had only the second '
                    'person slot filled; it was moved to the first')

    splits: Dict[str, List[str]] = {}
    videos = set(video_of.values())
    for protocol, (train, val) in split_lists.items():
        train_set, val_set = set(train), set(val)
        splits[f'{protocol}_train'] = [
            n for n, v in video_of.items() if v in train_set
        ]
        splits[f'{protocol}_val'] = [
            n for n, v in video_of.items() if v in val_set
        ]
        listed = train_set | val_set
        absent = sorted(listed - set(labels))
        if absent:
            report.note(f'{protocol}: {len(absent)} listed videos have no '
                        f'label file (e.g. {absent[:3]})')
        unsplit = sorted(videos - listed)
        if unsplit:
            report.note(f'{protocol}: {len(unsplit)} converted videos are in '
                        f'neither list (e.g. {unsplit[:3]}); their samples '
                        'are in no split')
    return finish_conversion(report, annotations, splits, out_path, skip_bad)
