"""Pieces shared by every skeleton dataset converter.

A converter reads one raw dataset and writes a single annotation file in
MMAction2's skeleton format::

    {'split': {split_name: [frame_dir, ...]},
     'annotations': [{'frame_dir': str, 'label': int,
                      'keypoint': float32 array (M, T, V, 3),
                      'total_frames': int}, ...]}

This module holds what all converters need:

* :class:`InputProblem` -- raised by a parser for one bad file or sample;
* :class:`ConversionReport` -- counts, skips, problems and the summary text;
* :class:`ConversionError` -- raised when bad input is found and skipping it
  was not allowed;
* :func:`validate_keypoint` -- the checks every sequence must pass;
* :func:`make_annotation` -- one annotation dict with fixed key order/types;
* :func:`finish_conversion` -- turn problems into an error or skips, sort,
  compute statistics and write the file;
* :func:`dump_annotation_file` -- deterministic, atomic pickle writing;
* :class:`ProgressBar` and :func:`map_with_progress` -- ordered
  (optionally parallel) map with a quiet progress bar.
"""
import os
import os.path as osp
import pickle
import sys
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import Pool
from typing import (IO, Any, Callable, Dict, Iterable, List, Optional,
                    Sequence, Tuple)

import numpy as np

#: Pickle protocol used for every annotation file. Fixed so that re-running a
#: converter on the same input gives a byte-identical file.
PICKLE_PROTOCOL = 4

#: How many example sample names a summary lists per skip reason.
MAX_EXAMPLES = 5


class InputProblem(ValueError):
    """A problem with one input file or sample (corrupt, truncated, ...)."""


@dataclass
class Problem:
    """One problem found in the input.

    Attributes:
        source (str): The file (or sample) the problem was found in.
        message (str): What is wrong with it.
    """

    source: str
    message: str

    def __str__(self) -> str:
        return f'{self.source}: {self.message}'


@dataclass
class ConversionReport:
    """What a conversion did: inputs read, samples kept, skips and problems.

    Attributes:
        dataset (str): Human-readable dataset name.
        output (str, optional): Path of the written annotation file.
        num_inputs (int): Number of input units read (files or intervals).
        problems (list[Problem]): Bad input that was found.
        skipped (list[tuple[str, str]]): ``(sample, reason)`` for every sample
            left out of the output.
        notes (list[str]): Free-form remarks shown in the summary.
        split_sizes (dict[str, int]): Samples per split.
        split_classes (dict[str, int]): Distinct labels per split.
        num_samples (int): Samples in the written file.
        num_classes (int): Distinct labels in the written file.
        frame_stats (tuple[int, float, int], optional): Min, median and max
            of ``total_frames``.
    """

    dataset: str
    output: Optional[str] = None
    num_inputs: int = 0
    problems: List[Problem] = field(default_factory=list)
    skipped: List[Tuple[str, str]] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    split_sizes: Dict[str, int] = field(default_factory=dict)
    split_classes: Dict[str, int] = field(default_factory=dict)
    num_samples: int = 0
    num_classes: int = 0
    frame_stats: Optional[Tuple[int, float, int]] = None

    def add_problem(self, source: str, message: str) -> None:
        """Record bad input (it becomes an error or a skip later)."""
        self.problems.append(Problem(str(source), str(message)))

    def skip(self, sample: str, reason: str) -> None:
        """Record a sample that is deliberately left out."""
        self.skipped.append((str(sample), str(reason)))

    def note(self, message: str) -> None:
        """Record a remark for the summary."""
        self.notes.append(str(message))

    def skip_counts(self) -> 'OrderedDict[str, List[str]]':
        """Group the skipped samples by reason (in first-seen order).

        Returns:
            OrderedDict[str, list[str]]: Reason -> sample names.
        """
        grouped: 'OrderedDict[str, List[str]]' = OrderedDict()
        for sample, reason in self.skipped:
            grouped.setdefault(reason, []).append(sample)
        return grouped

    def format(self) -> str:
        """Render the summary as plain text.

        Returns:
            str: A multi-line summary.
        """
        lines = [f'== {self.dataset} ==']
        if self.output:
            lines.append(f'output: {self.output}')
        lines.append(f'inputs read: {self.num_inputs}, '
                     f'samples written: {self.num_samples}, '
                     f'classes: {self.num_classes}')
        if self.split_sizes:
            width = max(len(name) for name in self.split_sizes)
            lines.append(f'{"split".ljust(width)}  samples  classes')
            for name, size in self.split_sizes.items():
                lines.append(f'{name.ljust(width)}  {size:7d}  '
                             f'{self.split_classes.get(name, 0):7d}')
        if self.frame_stats is not None:
            lo, med, hi = self.frame_stats
            lines.append(f'frames per sample: min {lo}, median {med:g}, '
                         f'max {hi}')
        lines.append(f'skipped: {len(self.skipped)}')
        for reason, samples in self.skip_counts().items():
            examples = ', '.join(samples[:MAX_EXAMPLES])
            more = ', ...' if len(samples) > MAX_EXAMPLES else ''
            lines.append(f'  - {len(samples)} x {reason} ({examples}{more})')
        if self.notes:
            lines.append('notes:')
            lines.extend(f'  - {note}' for note in self.notes)
        return '\n'.join(lines)


class ConversionError(RuntimeError):
    """Bad input was found and ``skip_bad`` was not set.

    Args:
        report (ConversionReport): The report holding the problems.
    """

    def __init__(self, report: ConversionReport) -> None:
        self.report = report
        problems = report.problems
        shown = '\n'.join(f'  {p}' for p in problems[:20])
        more = (f'\n  ... and {len(problems) - 20} more'
                if len(problems) > 20 else '')
        super().__init__(
            f'{report.dataset}: {len(problems)} bad input(s) found; nothing '
            f'was written. Fix the input, or pass skip_bad=True '
            f'(--skip-bad) to leave these samples out:\n{shown}{more}')


def validate_keypoint(keypoint: np.ndarray,
                      num_joints: Optional[int] = None,
                      min_frames: int = 1) -> None:
    """Check one sequence before it is written.

    Args:
        keypoint (np.ndarray): Array of shape ``(M, T, V, 3)``.
        num_joints (int, optional): Expected ``V``.
        min_frames (int): Fewest frames accepted. Defaults to 1.

    Raises:
        InputProblem: On a wrong shape, no (or too few) frames, NaN/Inf
            values or an all-zero sequence.
    """
    if keypoint.ndim != 4 or keypoint.shape[-1] != 3:
        raise InputProblem(f'keypoint has shape {keypoint.shape}, expected '
                           '(persons, frames, joints, 3)')
    num_person, num_frames, joints = keypoint.shape[:3]
    if num_person < 1:
        raise InputProblem('no person in the sequence')
    if num_joints is not None and joints != num_joints:
        raise InputProblem(f'{joints} joints, expected {num_joints}')
    if num_frames == 0:
        raise InputProblem('sequence has no frames')
    if num_frames < min_frames:
        raise InputProblem(f'sequence has only {num_frames} frame(s), at '
                           f'least {min_frames} needed')
    if not np.all(np.isfinite(keypoint)):
        raise InputProblem('sequence contains NaN or infinite coordinates')
    if not np.any(keypoint):
        raise InputProblem('all coordinates are zero')


def make_annotation(frame_dir: str, label: int,
                    keypoint: np.ndarray) -> Dict[str, Any]:
    """Build one annotation dict with fixed key order and plain types.

    Args:
        frame_dir (str): Unique sample name.
        label (int): 0-based class index.
        keypoint (np.ndarray): Array of shape ``(M, T, V, 3)``.

    Returns:
        dict: ``frame_dir``, ``label``, ``keypoint`` (C-contiguous float32)
        and ``total_frames``.
    """
    keypoint = np.ascontiguousarray(keypoint, dtype=np.float32)
    return {
        'frame_dir': str(frame_dir),
        'label': int(label),
        'keypoint': keypoint,
        'total_frames': int(keypoint.shape[1]),
    }


def dump_annotation_file(path: str,
                         annotations: Sequence[Dict[str, Any]],
                         splits: Dict[str, Iterable[str]],
                         extra: Optional[Dict[str, Any]] = None) -> None:
    """Write an annotation file deterministically and atomically.

    Annotations are sorted by ``frame_dir``, split names and split members
    are sorted, the pickle protocol is fixed and nothing time-dependent is
    stored, so the same input always gives the same bytes. The data are
    written to a temporary file in the target folder and moved into place
    with :func:`os.replace`.

    Args:
        path (str): Output ``.pkl`` path; parent folders are created.
        annotations (Sequence[dict]): Annotation dicts.
        splits (dict[str, Iterable[str]]): Split name -> frame_dirs.
        extra (dict, optional): Additional top-level keys (MMAction2's
            ``PoseDataset`` reads only ``split`` and ``annotations``).
    """
    payload: Dict[str, Any] = {
        'split': {name: sorted(str(x) for x in splits[name])
                  for name in sorted(splits)},
        'annotations': sorted(annotations, key=lambda a: a['frame_dir']),
    }
    for key in sorted(extra or {}):
        if key in payload:
            raise KeyError(f'extra key {key!r} clashes with a standard key')
        payload[key] = extra[key]
    data = pickle.dumps(payload, protocol=PICKLE_PROTOCOL)

    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp creates the file as 0600; give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, path)
    except BaseException:
        if osp.exists(tmp_path):
            os.remove(tmp_path)
        raise


def finish_conversion(report: ConversionReport,
                      annotations: List[Dict[str, Any]],
                      splits: Dict[str, Iterable[str]],
                      out_path: Optional[str],
                      skip_bad: bool = False,
                      extra: Optional[Dict[str, Any]] = None
                      ) -> ConversionReport:
    """Apply the bad-input policy, fill in statistics and write the file.

    Args:
        report (ConversionReport): Report with the problems found so far.
        annotations (list[dict]): The good samples.
        splits (dict[str, Iterable[str]]): Split name -> frame_dirs. Names of
            samples that are not in ``annotations`` are dropped.
        out_path (str, optional): Where to write; ``None`` writes nothing.
        skip_bad (bool): Turn problems into counted skips instead of
            raising. Defaults to False.
        extra (dict, optional): Extra top-level keys for the file.

    Returns:
        ConversionReport: The completed report.

    Raises:
        ConversionError: If there are problems and ``skip_bad`` is False, or
            if no sample is left.
    """
    if report.problems:
        if not skip_bad:
            raise ConversionError(report)
        for problem in report.problems:
            report.skip(osp.basename(problem.source),
                        f'bad input (--skip-bad): {problem.message}')
    if not annotations:
        report.add_problem('<all inputs>', 'no usable sample was found')
        raise ConversionError(report)

    names = [a['frame_dir'] for a in annotations]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f'duplicate frame_dir values: {dup[:5]}')
    labels = {a['frame_dir']: a['label'] for a in annotations}
    kept = {name: sorted(x for x in members if x in labels)
            for name, members in splits.items()}

    report.num_samples = len(annotations)
    report.num_classes = len(set(labels.values()))
    report.split_sizes = {name: len(kept[name]) for name in sorted(kept)}
    report.split_classes = {
        name: len({labels[x] for x in kept[name]})
        for name in sorted(kept)
    }
    frames = np.array([a['total_frames'] for a in annotations])
    report.frame_stats = (int(frames.min()), float(np.median(frames)),
                          int(frames.max()))
    if out_path is not None:
        dump_annotation_file(out_path, annotations, kept, extra)
        report.output = out_path
    return report


def _call_catching(func: Callable[[Any], Any], item: Any) -> Any:
    """Run ``func(item)``; return an :class:`InputProblem` instead of raising.

    Module-level so that it can be pickled for worker processes.
    """
    try:
        return func(item)
    except InputProblem as exc:
        return exc


class ProgressBar:
    """A small progress bar that writes few updates.

    On a terminal it redraws one line whenever the integer percentage
    changes; otherwise (logs, pipes) it prints a line every 10 %.

    Args:
        total (int): Number of steps.
        stream (IO, optional): Where to write; defaults to ``sys.stderr``.
        width (int): Bar width in characters. Defaults to 30.
    """

    def __init__(self, total: int, stream: Optional[IO[str]] = None,
                 width: int = 30) -> None:
        self.total = max(int(total), 1)
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.done = 0
        self.start = time.monotonic()
        self.tty = bool(getattr(self.stream, 'isatty', lambda: False)())
        self._last = -1

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` steps and redraw if needed."""
        self.done = min(self.done + n, self.total)
        pct = self.done * 100 // self.total
        step = 1 if self.tty else 10
        if pct // step == self._last // step and self.done < self.total:
            return
        self._last = pct
        elapsed = time.monotonic() - self.start
        filled = self.width * self.done // self.total
        bar = '#' * filled + '.' * (self.width - filled)
        line = (f'[{bar}] {self.done}/{self.total} ({pct:3d}%) '
                f'{elapsed:.0f}s')
        if self.tty:
            self.stream.write('\r' + line)
            if self.done == self.total:
                self.stream.write('\n')
        else:
            self.stream.write(line + '\n')
        self.stream.flush()


def map_with_progress(func: Callable[[Any], Any],
                      items: Sequence[Any],
                      nproc: int = 1,
                      progress: bool = True) -> List[Any]:
    """Apply ``func`` to every item in order, with a progress bar.

    An :class:`InputProblem` raised by ``func`` is returned in place of the
    result, so one bad file does not stop the others. Other exceptions
    propagate.

    Args:
        func (Callable): A picklable function of one argument.
        items (Sequence): The inputs.
        nproc (int): Worker processes; 1 runs in this process.
        progress (bool): Show a :class:`ProgressBar` on stderr.

    Returns:
        list: Results (or :class:`InputProblem` objects) in input order.
    """
    bar = ProgressBar(len(items)) if progress and len(items) > 0 else None
    results = []
    if nproc > 1 and len(items) > 1:
        with Pool(nproc) as pool:
            chunk = max(1, min(64, len(items) // (nproc * 8)))
            for res in pool.imap(partial(_call_catching, func), items, chunk):
                results.append(res)
                if bar is not None:
                    bar.update()
    else:
        for item in items:
            results.append(_call_catching(func, item))
            if bar is not None:
                bar.update()
    return results
