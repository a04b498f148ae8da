"""Read one skeleton sequence from a raw dataset file or an annotation file.

The formats the converters read, one sequence per file: an NTU RGB+D
``.skeleton`` file, an N-UCLA ``.json``, a UTD-MHAD ``.mat``, an MSR
Action3D ``.txt``; or one sample of an MMAction2 annotation ``.pkl`` (read
with the allow-listed loader). The result is the raw sample dict a
``test_pipeline`` takes.
"""
import os.path as osp
from typing import Any, Dict, List, Optional

import numpy as np

from .annotation_file import load_annotation_file

#: Suffixes :func:`read_sequence` knows.
SUFFIXES = ('.skeleton', '.json', '.mat', '.txt', '.pkl')


def _load_raw(path: str) -> np.ndarray:
    """``(M, T, V, 3)`` keypoints of a raw dataset file."""
    from .converters.common import InputProblem
    from .converters.msr_action3d import load_msr_sequence
    from .converters.ntu import load_ntu_sample
    from .converters.nucla import load_nucla_sequence
    from .converters.utd_mhad import load_utd_mhad_sequence
    readers = {
        '.skeleton': load_ntu_sample,
        '.json': load_nucla_sequence,
        '.mat': load_utd_mhad_sequence,
        '.txt': lambda p: load_msr_sequence(p)[0],
    }
    try:
        return readers[osp.splitext(path)[1].lower()](path)
    except InputProblem as err:
        raise ValueError(f'{path}: {err}') from err


def _pick(annotations: List[Dict[str, Any]], path: str,
          index: Optional[int], frame_dir: Optional[str]) -> Dict[str, Any]:
    """One annotation by ``frame_dir`` or by index (default 0)."""
    if frame_dir is not None:
        for sample in annotations:
            if sample.get('frame_dir') == frame_dir:
                return sample
        raise KeyError(f'{path}: no sample with frame_dir {frame_dir!r}')
    index = 0 if index is None else index
    if not -len(annotations) <= index < len(annotations):
        raise IndexError(f'{path}: sample index {index} outside its '
                         f'{len(annotations)} samples')
    return annotations[index]


def read_sequence(path: str,
                  index: Optional[int] = None,
                  frame_dir: Optional[str] = None) -> Dict[str, Any]:
    """The raw sample of one sequence.

    Args:
        path: A ``.skeleton``, ``.json``, ``.mat``, ``.txt`` or ``.pkl``
            file.
        index: Which sample of a ``.pkl`` (default 0).
        frame_dir: Or the sample of a ``.pkl`` with this name.

    Returns:
        ``keypoint`` float32 ``(M, T, V, C)``, ``total_frames``,
        ``frame_dir`` and ``label`` (-1 unless the annotation has one),
        plus ``class_names`` when the annotation file holds them.

    Raises:
        ValueError: An unknown suffix, or a file the reader refuses (the
            message names the file).
    """
    suffix = osp.splitext(path)[1].lower()
    if suffix not in SUFFIXES:
        raise ValueError(f'{path}: unknown skeleton file type {suffix!r} '
                         f'(known: {", ".join(SUFFIXES)})')
    if suffix == '.pkl':
        data = load_annotation_file(path)
        annotations = data['annotations'] if isinstance(data, dict) else data
        sample = dict(_pick(annotations, path, index, frame_dir))
        keypoint = np.asarray(sample['keypoint'], dtype=np.float32)
        result = dict(sample, keypoint=keypoint,
                      total_frames=int(sample.get('total_frames',
                                                  keypoint.shape[1])),
                      label=int(sample.get('label', -1)))
        result.setdefault('frame_dir', f'{osp.basename(path)}[{index or 0}]')
        if isinstance(data, dict) and data.get('class_names'):
            result['class_names'] = list(data['class_names'])
        return result
    keypoint = _load_raw(path)
    return dict(keypoint=keypoint, total_frames=int(keypoint.shape[1]),
                frame_dir=osp.splitext(osp.basename(path))[0], label=-1)
