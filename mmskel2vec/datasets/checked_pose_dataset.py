"""``PoseDataset`` that validates its annotation file when it loads it."""
import os.path as osp
from collections import defaultdict
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from mmengine.logging import print_log

from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS

from .annotation_checks import Problem, annotation_problem, sample_name
from .annotation_file import AnnotationFileError, load_annotation_file
from .layouts import get_layout
from .per_sample_seeding import PerSampleSeedMixin

#: Invalid samples named in full in an error or log message.
MAX_NAMED = 10


@DATASETS.register_module()
class CheckedPoseDataset(PerSampleSeedMixin, PoseDataset):
    """MMAction2's ``PoseDataset`` with the annotation file checked up front.

    Loading reads the pickle with an allowlist (no code can run; a corrupted
    or truncated file fails with an error naming it, see
    :func:`~mmskel2vec.datasets.annotation_file.load_annotation_file`), then
    checks every annotation of the split with
    :func:`~mmskel2vec.datasets.annotation_checks.annotation_problem`:
    missing keys, keypoint shape, no or too few frames, joint and coordinate
    counts, ``total_frames``, non-finite or all-zero coordinates and the
    label range. A multi-day run thus fails before its first iteration, not
    when a bad sample comes up hours later.

    With ``on_invalid='raise'`` (default) a ``ValueError`` names the file,
    the split and every bad sample (``frame_dir``) with its problem. With
    ``'skip'`` the bad samples are left out, counted per problem in
    :attr:`skipped` and logged as a warning.

    With ``layout`` set, every sample carries it as ``results['layout']``
    (as MMPose datasets pass their keypoint metainfo to the transforms), so
    a pipeline written once serves every dataset of the same joint count:
    ``PreNormalize3DLayout()`` without a layout reads it from there. The
    layout also gives ``num_joints`` when that is not set.

    Under a keyed ``ResumableSampler`` every sample's transforms are seeded
    from ``(seed, epoch, index)`` (:class:`PerSampleSeedMixin`).

    Args:
        ann_file (str): Annotation ``.pkl`` (MMAction2 skeleton format).
        pipeline (list[dict | callable]): Data transforms.
        split (str, optional): Split to load. Defaults to None (all).
        layout (str, optional): Joint layout of the file, a name from
            :data:`mmskel2vec.datasets.layouts.LAYOUTS`, handed to the
            transforms in every sample. Defaults to None (none).
        num_joints (int, optional): Expected joints per person. Defaults to
            the layout's joint count, if a layout is given.
        num_coords (int, optional): Expected coordinates per joint.
        min_frames (int): Fewest frames accepted. Defaults to 1.
        required_keys (Sequence[str]): Keys every annotation needs.
            Defaults to ``('frame_dir', 'keypoint', 'label')``.
        check_values (bool): Check every coordinate for NaN/inf and
            all-zero sequences. Defaults to True.
        on_invalid (str): ``'raise'`` or ``'skip'``. Defaults to 'raise'.
        safe_load (bool): Allowlist unpickling. Defaults to True.
        **kwargs: Forwarded to ``PoseDataset`` (``num_classes`` bounds the
            labels; otherwise the length of ``metainfo['classes']`` does,
            if given).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[Dict, Callable]],
                 split: Optional[str] = None,
                 layout: Optional[str] = None,
                 num_joints: Optional[int] = None,
                 num_coords: Optional[int] = None,
                 min_frames: int = 1,
                 required_keys: Sequence[str] = ('frame_dir', 'keypoint',
                                                 'label'),
                 check_values: bool = True,
                 on_invalid: str = 'raise',
                 safe_load: bool = True,
                 **kwargs) -> None:
        if on_invalid not in ('raise', 'skip'):
            raise ValueError("on_invalid must be 'raise' or 'skip', got "
                             f'{on_invalid!r}')
        if layout is not None:
            try:
                layout_joints = get_layout(layout).num_node
            except KeyError as error:
                raise ValueError(f'{ann_file}: {error.args[0]}') from None
            if num_joints is None:
                num_joints = layout_joints
            elif num_joints != layout_joints:
                raise ValueError(
                    f'{ann_file}: num_joints={num_joints} but layout '
                    f'{layout!r} has {layout_joints} joints')
        self.layout = layout
        self.num_joints = num_joints
        self.num_coords = num_coords
        self.min_frames = min_frames
        self.required_keys = tuple(required_keys)
        self.check_values = check_values
        self.on_invalid = on_invalid
        self.safe_load = safe_load
        self.skipped: Dict[str, List[str]] = {}
        super().__init__(ann_file, pipeline=pipeline, split=split, **kwargs)

    @property
    def label_bound(self) -> Optional[int]:
        """Number of classes labels must stay below, if known."""
        if self.num_classes is not None:
            return int(self.num_classes)
        classes = self.metainfo.get('classes')
        return len(classes) if classes else None

    def _split_annotations(self, data) -> List:
        """Annotations of ``self.split`` (all of them without a split)."""
        where = f'{self.ann_file}'
        if isinstance(data, list) and self.split is None:
            return data
        if not isinstance(data, dict) or 'annotations' not in data:
            raise AnnotationFileError(
                f'{where}: expected a dict with an "annotations" list'
                + (' and a "split" dict' if self.split is not None else '')
                + f', got {type(data).__name__}'
                + (f' with keys {sorted(data)[:10]}'
                   if isinstance(data, dict) else ''))
        annos = data['annotations']
        if not isinstance(annos, list):
            raise AnnotationFileError(f'{where}: "annotations" must be a '
                                      f'list, got {type(annos).__name__}')
        if self.split is None:
            return annos
        splits = data.get('split')
        if not isinstance(splits, dict) or self.split not in splits:
            available = sorted(splits) if isinstance(splits, dict) else []
            raise AnnotationFileError(
                f'{where}: no split {self.split!r} (available: '
                f'{available})')
        members = set(splits[self.split])

        def in_split(ann) -> bool:
            # An annotation without a name cannot be placed in a split; it
            # is kept so that the checks report it.
            if not isinstance(ann, dict):
                return True
            name = ann.get('filename', ann.get('frame_dir'))
            return name is None or name in members

        return [ann for ann in annos if in_split(ann)]

    def _check(self, annos: List) -> Tuple[List, List[Tuple[str, Problem]]]:
        """Split annotations into usable ones and (name, problem) pairs."""
        good, bad = [], []
        for index, ann in enumerate(annos):
            problem = annotation_problem(
                ann,
                required_keys=self.required_keys,
                num_joints=self.num_joints,
                num_coords=self.num_coords,
                num_classes=self.label_bound,
                min_frames=self.min_frames,
                check_values=self.check_values)
            if problem is None:
                good.append(ann)
            else:
                bad.append((sample_name(ann, index), problem))
        return good, bad

    def _report(self, bad: List[Tuple[str, Problem]], total: int) -> None:
        """Raise for, or count and log, the invalid annotations."""
        where = self.ann_file + (f' (split {self.split!r})'
                                 if self.split is not None else '')
        listed = '; '.join(f'{name}: {problem.message}'
                           for name, problem in bad[:MAX_NAMED])
        more = (f'; ... and {len(bad) - MAX_NAMED} more'
                if len(bad) > MAX_NAMED else '')
        if self.on_invalid == 'raise':
            raise ValueError(
                f'{where}: {len(bad)} of {total} annotation(s) are invalid: '
                f"{listed}{more}. Fix the file, or set on_invalid='skip' to "
                'leave them out')
        skipped = defaultdict(list)
        for name, problem in bad:
            skipped[problem.code].append(name)
        self.skipped = dict(skipped)
        counts = ', '.join(f'{code}={len(names)}'
                           for code, names in self.skipped.items())
        print_log(
            f'{where}: skipped {len(bad)} of {total} invalid annotation(s) '
            f'({counts}): {listed}{more}',
            logger='current',
            level=30)
        if len(bad) == total:
            raise ValueError(f'{where}: all {total} annotation(s) are '
                             'invalid, nothing left to train on')

    def get_data_info(self, idx: int) -> Dict:
        """The sample's annotation, with ``layout`` when one is set."""
        info = super().get_data_info(idx)
        if self.layout is not None:
            info['layout'] = self.layout
        return info

    def load_data_list(self) -> List[Dict]:
        """Load, check and (optionally) prune the annotations."""
        data = load_annotation_file(self.ann_file, safe=self.safe_load)
        annos = self._split_annotations(data)
        good, bad = self._check(annos)
        self.skipped = {}
        if bad:
            self._report(bad, len(annos))
        if 'video' in self.data_prefix:
            for item in good:
                for key in ('filename', 'frame_dir'):
                    if key in item:
                        item[key] = osp.join(self.data_prefix['video'],
                                             item[key])
        return good
