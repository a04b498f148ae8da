"""Summaries of MMEngine work directories for the benchmark report.

A work directory holds the config dump ``<config name>.py`` and one folder
per run named by its start time (``YYYYmmdd_HHMMSS``): training runs have
``vis_data/scalars.json`` (training losses by iteration, validation metrics
by epoch) and ``vis_data/config.py``; test runs (``tools/test.py``) have
``<timestamp>.json`` with the test metrics. :func:`summarize_work_dir` reads
them and describes the experiment from its config: the pretraining method
(from the pretraining run the downstream ``init_cfg`` checkpoint came from),
the backbone, the evaluation protocol, the dataset and split, the metrics,
the epochs and the wall time.
"""
import dataclasses
import datetime
import inspect
import json
import os
import os.path as osp
import re
from typing import Any, Dict, Iterable, List, Optional, Tuple

_RUN_DIR = re.compile(r'^\d{8}_\d{6}$')
_LOG_TIME = re.compile(
    r'^(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2}) - mmengine')


@dataclasses.dataclass
class RunSummary:
    """What the report shows for one work directory.

    Attributes:
        work_dir: The work directory.
        name: Config name (the work directory's config dump).
        kind: ``'pretrain'`` or ``'downstream'``.
        method: Pretraining method (``'random init'`` without one).
        backbone: Backbone type and size.
        protocol: ``'pretrain'``, ``'linear'``, ``'finetune'``,
            ``'semi 10%'`` (``'semi 10% (full epochs)'`` with
            ``repeat_to_full``), ``'transfer'`` or ``'scratch'``.
        dataset: Dataset name.
        split: Split of the evaluation (or pretraining) data.
        top1: Top-1 accuracy in % (test, else last validation).
        top5: Top-5 accuracy in %.
        mean1: Mean class accuracy in %.
        metric_source: ``'test'``, ``'val'`` or ``''``.
        epochs: Configured training epochs.
        epochs_done: Epochs found in the logs.
        wall_time_s: Training wall time in seconds (from the run's logs,
            summed over its resumes).
        final_loss: Mean of the last logged training losses.
        pretrain_checkpoint: The ``init_cfg`` checkpoint, if any.
        seed: The run's ``randomness.seed``.
        pretrain_seed: ``randomness.seed`` of the pretraining run the
            ``init_cfg`` checkpoint came from, when that run is found.
        loss_curve: ``(iteration, loss)`` of training.
        val_curve: ``(epoch, top-1 %)`` of validation.
        knn_curves: ``KNNMonitorHook`` figures of a pretraining run:
            ``{'teacher_top1' | 'student_top1' | 'position_share':
            [(epoch, value), ...]}``.
    """

    work_dir: str
    name: str
    kind: str = 'downstream'
    method: str = ''
    backbone: str = ''
    protocol: str = ''
    dataset: str = ''
    split: str = ''
    top1: Optional[float] = None
    top5: Optional[float] = None
    mean1: Optional[float] = None
    metric_source: str = ''
    epochs: Optional[int] = None
    epochs_done: Optional[int] = None
    wall_time_s: Optional[float] = None
    final_loss: Optional[float] = None
    pretrain_checkpoint: str = ''
    seed: Optional[int] = None
    pretrain_seed: Optional[int] = None
    loss_curve: List[Tuple[int, float]] = dataclasses.field(
        default_factory=list)
    val_curve: List[Tuple[int, float]] = dataclasses.field(
        default_factory=list)
    knn_curves: Dict[str, List[Tuple[int, float]]] = dataclasses.field(
        default_factory=dict)


def find_work_dirs(roots: Iterable[str]) -> List[str]:
    """Work directories (folders with timestamped run folders) under roots."""
    found = []
    for root in roots:
        for folder, subdirs, _ in os.walk(root):
            if any(_RUN_DIR.match(d) for d in subdirs):
                found.append(folder)
                subdirs[:] = [d for d in subdirs if not _RUN_DIR.match(d)]
    return sorted(set(found))


def _read_json_lines(path: str) -> List[Dict[str, Any]]:
    """Records of an MMEngine ``scalars.json`` (one JSON object a line)."""
    records = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                records.append(json.loads(line))
    return records


def _is_resume(run_dir: str) -> bool:
    """Whether a run folder's config says ``resume = True``."""
    path = osp.join(run_dir, 'vis_data', 'config.py')
    if not osp.exists(path):
        return False
    with open(path) as f:
        return any(line.strip() == 'resume = True' for line in f)


def _run_records(
        train_runs: List[str]) -> Tuple[List[str], List[Dict[str, Any]]]:
    """Folders and ``scalars.json`` records of a run and its resumes.

    A ``--resume`` writes a new timestamped folder (its config says
    ``resume = True``) whose records start where the checkpoint left off.
    The records are chained from the last folder that is not a resume
    (older folders belong to runs it replaced); an earlier folder keeps
    only the records before the next folder's first step (the steps after
    its last checkpoint were trained again).

    Returns:
        The chained folders, oldest first, and their records.
    """
    folders: List[str] = []
    chain: List[List[Dict[str, Any]]] = []
    for run in train_runs:
        records = _read_json_lines(osp.join(run, 'vis_data', 'scalars.json'))
        steps = [r['step'] for r in records if 'step' in r]
        if not _is_resume(run):
            folders, chain = [], []
        elif steps:
            chain = [[r for r in part if r.get('step', 0) < min(steps)]
                     for part in chain]
        folders.append(run)
        chain.append(records)
    return folders, [r for part in chain for r in part]


def _log_wall_time(run_dir: str) -> Optional[float]:
    """Seconds from the run folder's start time to its last log line.

    ``vis_data/scalars.json`` holds each iteration's ``time`` but not the
    time spent in validation, the kNN monitor or checkpoints, so the wall
    time is read from the timestamps MMEngine writes at the start of every
    text-log line.
    """
    stamp = osp.basename(run_dir)
    start = datetime.datetime.strptime(stamp, '%Y%m%d_%H%M%S')
    log = osp.join(run_dir, f'{stamp}.log')
    if not osp.exists(log):
        return None
    last = None
    with open(log, errors='replace') as f:
        for line in f:
            match = _LOG_TIME.match(line)
            if match:
                last = match
    if last is None:
        return None
    end = datetime.datetime(*(int(g) for g in last.groups()))
    return (end - start).total_seconds()


def _runs(work_dir: str) -> Tuple[List[str], List[str]]:
    """Training and test run folders of a work directory, oldest first."""
    train, test = [], []
    for entry in sorted(os.listdir(work_dir)):
        run = osp.join(work_dir, entry)
        if not (_RUN_DIR.match(entry) and osp.isdir(run)):
            continue
        if osp.exists(osp.join(run, 'vis_data', 'scalars.json')):
            train.append(run)
        elif osp.exists(osp.join(run, f'{entry}.json')):
            test.append(run)
    return train, test


def _config_path(work_dir: str, train_runs: List[str],
                 test_runs: List[str]) -> Optional[str]:
    """The config of the latest training run, else the work dir's dump."""
    for run in list(reversed(train_runs)) + list(reversed(test_runs)):
        path = osp.join(run, 'vis_data', 'config.py')
        if osp.exists(path):
            return path
    dumps = [f for f in sorted(os.listdir(work_dir)) if f.endswith('.py')]
    return osp.join(work_dir, dumps[0]) if dumps else None


def _load_config(path: str):
    """Load a dumped config (a flat file, custom imports skipped)."""
    from mmengine.config import Config
    return Config.fromfile(path, import_custom_modules=False)


def _inner_dataset(dataset: Dict[str, Any]) -> Dict[str, Any]:
    """The labelled dataset inside wrappers (``LabelFractionDataset`` ...)."""
    while isinstance(dataset, dict) and isinstance(
            dataset.get('dataset'), dict):
        dataset = dataset['dataset']
    return dataset


def _pooled_datasets(dataset: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The datasets of a ``ConcatDataset`` (each unwrapped), or the one."""
    dataset = _inner_dataset(dataset or {})
    parts = dataset.get('datasets')
    if isinstance(parts, (list, tuple)) and parts:
        return [_inner_dataset(part) for part in parts]
    return [dataset]


def describe_dataset(dataset: Dict[str, Any]) -> Tuple[str, str]:
    """Dataset name and split of a dataset config.

    A ``ConcatDataset`` is named by its parts joined with ``+``, e.g.
    ``('nucla+utd_mhad+msr_action3d', 'xview_train+xsub_train+xsub_train')``;
    synthetic clips name their ``variation``, e.g. ``synthetic
    (noise_std=0.03)``.
    """
    names, splits = [], []
    for part in _pooled_datasets(dataset):
        kind = part.get('type', '')
        if kind == 'SyntheticSkeletonDataset':
            # clips generated with other variation are another dataset
            variation = ', '.join(f'{key}={value}' for key, value in sorted(
                (part.get('variation') or {}).items()))
            names.append(f'synthetic ({variation})' if variation else
                         'synthetic')
        else:
            ann = osp.basename(str(part.get('ann_file', '')))
            names.append(re.sub(r'(_3d|_2d)?\.pkl$', '', ann) or kind)
        splits.append(str(part.get('split', '')))
    return '+'.join(names), '+'.join(splits)


def describe_backbone(backbone: Dict[str, Any]) -> str:
    """Short backbone description, e.g. ``SkeletonTransformer 4x128``."""
    kind = backbone.get('type', '?')
    if kind == 'MaskedGCNEncoder':
        return backbone.get('encoder', {}).get('type', kind)
    if kind == 'SkeletonTransformer':
        return f"{kind} {backbone.get('depth', 8)}x" \
            f"{backbone.get('embed_dims', 256)}"
    return kind


def _masking(cfg) -> str:
    """Masking strategy of a pretraining config's pipeline."""
    pipeline = _pooled_datasets(cfg.train_dataloader.dataset)[0].get(
        'pipeline', [])
    for step in pipeline:
        if step.get('type') != 'MotionAwareTubeMasking':
            continue
        prior = step.get('prior', 'additive')
        tube = step.get('tube_len', 5)
        ratio = step.get('mask_ratio', 0.9)
        extra = '' if ratio == 0.9 else f', ratio {ratio:g}'
        if prior == 'random':
            return f'random mask{extra}'
        if prior == 'uniform':
            return f'tube mask (tube {tube}{extra})'
        if prior == 'softmax':
            return (f"tube mask, MAMP's prior (tau {step.get('tau', 0.8):g}, "
                    f'tube {tube}{extra})')
        return (f"motion-aware tube mask (beta {step.get('beta', 0.1):g}, "
                f'tube {tube}{extra})')
    return ''


#: Pretraining learning rate of the shipped Skeleton2vec recipes (the
#: authors' 1e-3 at a batch of 128; the small-data configs' at 32).
RECIPE_LR = 1e-3

#: ``EMATeacherHook`` schedule of the small-data recipe
#: (``configs/_base_/schedules/adamw_cosine_100e.py``): held at 0.996 for 40
#: epochs, then 0.97 -> 1.0. Runs with any other schedule are named by it.
SMALL_DATA_EMA = dict(
    momentum=0.97, end_momentum=1.0, hold_iters=0, hold_epochs=40,
    hold_momentum=0.996)


def _ema_schedule(cfg) -> Optional[Dict[str, Any]]:
    """Schedule arguments of a config's ``EMATeacherHook`` (its defaults
    filled in), if it has one."""
    from mmskel2vec.engine.hooks import EMATeacherHook
    defaults = inspect.signature(EMATeacherHook).parameters
    for hook in cfg.get('custom_hooks') or []:
        if isinstance(hook, dict) and hook.get('type') == 'EMATeacherHook':
            return {
                key: hook.get(key, defaults[key].default)
                for key in ('momentum', 'end_momentum', 'hold_iters',
                            'hold_epochs', 'hold_momentum')
            }
    return None


def pretraining_method(cfg) -> str:
    """Method name of a pretraining (``Skeleton2Vec``) config."""
    target = cfg.model.get('target_generator', {})
    if target.get('type') == 'LowLevelTargetGenerator':
        name = f"masked {target.get('kind', 'motion')} (low-level)"
    else:
        name = 'Skeleton2vec'
    masking = _masking(cfg)
    name = f'{name}, {masking}' if masking else name
    # what tells ablations apart from the shipped small-data recipes, so
    # that they are not pooled with them (LayerScale is named wherever it
    # is set, a decoder narrower or wider than the encoder wherever it is,
    # and an EMA schedule wherever it differs from the small-data one, also
    # in the paper-scale recipe, which uses both)
    if target.get('center_positions'):
        name += ', position-centred targets'
    if target.get('layer_norm', 'instance') != 'instance':
        name += f", {target['layer_norm']}-normalised target blocks"
    layer_scale = cfg.model.get('backbone', {}).get('layer_scale_init')
    if layer_scale is not None:
        name += f', LayerScale {layer_scale:g}'
    encoder_width = cfg.model.get('backbone', {}).get('embed_dims')
    decoder_width = cfg.model.get('head', {}).get('embed_dims')
    if None not in (encoder_width, decoder_width) and \
            decoder_width != encoder_width:
        name += f', decoder width {decoder_width}'
    lr = ((cfg.get('optim_wrapper') or {}).get('optimizer') or {}).get('lr')
    if lr is not None and lr != RECIPE_LR:
        name += f', lr {lr:g}'
    ema = _ema_schedule(cfg)
    max_epochs = (cfg.get('train_cfg') or {}).get('max_epochs')
    if ema is not None and None not in (ema['hold_epochs'], max_epochs) \
            and ema['hold_epochs'] >= max_epochs:
        # held for the whole run: a constant momentum
        ema = dict(ema, momentum=ema['hold_momentum'],
                   end_momentum=ema['hold_momentum'], hold_epochs=None)
    if ema is not None and ema != SMALL_DATA_EMA:
        ramp = f"{ema['momentum']:g} -> {ema['end_momentum']:g}"
        if ema['hold_epochs'] is not None:
            name += (f", EMA {ema['hold_momentum']:g} for "
                     f"{ema['hold_epochs']} epochs, then {ramp}")
        elif ema['hold_iters'] > 0:
            name += (f", EMA {ema['hold_momentum']:g} for "
                     f"{ema['hold_iters']} iterations, then {ramp}")
        elif ema['momentum'] == ema['end_momentum']:
            name += f", EMA {ema['momentum']:g}"
        else:
            name += f', EMA {ramp}'
    return name


def _pretrained_init(backbone: Dict[str, Any]) -> Tuple[str, str]:
    """Checkpoint and prefix of a backbone's ``Pretrained`` init_cfg."""
    init = backbone.get('init_cfg')
    for item in init if isinstance(init, (list, tuple)) else [init]:
        if isinstance(item, dict) and item.get('type') == 'Pretrained':
            return str(item.get('checkpoint') or ''), str(
                item.get('prefix') or '')
    return '', ''


def _is_teacher(checkpoint: str, prefix: str) -> bool:
    """Whether the weights are a Skeleton2vec EMA teacher.

    True for the ``teacher.`` prefix of a pretraining checkpoint and for a
    file written by ``tools/misc/export_backbone.py --source teacher``.
    """
    if prefix.startswith('teacher'):
        return True
    if not osp.isfile(checkpoint):
        return False
    import torch
    try:
        ckpt = torch.load(checkpoint, map_location='cpu')
    except Exception:  # unreadable here: only the name can tell
        return False
    meta = ckpt.get('meta') if isinstance(ckpt, dict) else None
    return isinstance(meta, dict) and meta.get('source') == 'teacher'


def _seed(cfg) -> Optional[int]:
    """``randomness.seed`` of a config, if set."""
    seed = (cfg.get('randomness') or {}).get('seed')
    return None if seed is None else int(seed)


def _describe_pretraining(
        checkpoint: str,
        search: Iterable[str]) -> Tuple[str, str, Optional[int]]:
    """Method, dataset and seed of the pretraining run behind a checkpoint."""
    candidates = [checkpoint] + [osp.join(root, checkpoint)
                                 for root in search]
    for path in candidates:
        folder = osp.dirname(path)
        if not osp.isdir(folder):
            continue
        train, test = _runs(folder)
        config = _config_path(folder, train, test)
        if config is None:
            continue
        cfg = _load_config(config)
        if cfg.model.get('type') == 'Skeleton2Vec':
            dataset, _ = describe_dataset(cfg.train_dataloader.dataset)
            return pretraining_method(cfg), dataset, _seed(cfg)
    name = osp.basename(osp.dirname(checkpoint)) or osp.basename(checkpoint)
    return name.split('_')[0], '', None


def _percent(value: Any) -> Optional[float]:
    """Metric in [0, 1] as a percentage."""
    return None if value is None else 100.0 * float(value)


def summarize_work_dir(work_dir: str,
                       search: Iterable[str] = ()) -> Optional[RunSummary]:
    """Describe one work directory; None if it holds no readable run.

    Args:
        work_dir: An MMEngine work directory.
        search: Folders that relative ``init_cfg`` checkpoint paths may be
            relative to (besides the current directory).

    Returns:
        The summary, or None.
    """
    train_runs, test_runs = _runs(work_dir)
    config = _config_path(work_dir, train_runs, test_runs)
    if config is None or not (train_runs or test_runs):
        return None
    cfg = _load_config(config)
    summary = RunSummary(work_dir=work_dir,
                         name=osp.splitext(osp.basename(work_dir))[0])
    dumps = [f for f in os.listdir(work_dir) if f.endswith('.py')]
    if dumps:
        summary.name = osp.splitext(sorted(dumps)[0])[0]
    model = cfg.model
    backbone = model.get('backbone', {})
    summary.backbone = describe_backbone(backbone)
    train_cfg = cfg.get('train_cfg') or {}
    summary.epochs = train_cfg.get('max_epochs')
    summary.seed = _seed(cfg)
    if model.get('type') == 'Skeleton2Vec':
        summary.kind = summary.protocol = 'pretrain'
        summary.method = pretraining_method(cfg)
        summary.dataset, summary.split = describe_dataset(
            cfg.train_dataloader.dataset)
    else:
        summary.dataset, summary.split = describe_dataset(
            (cfg.get('val_dataloader') or cfg.get('test_dataloader')
             or {}).get('dataset', {}))
        train_set = cfg.train_dataloader.dataset
        checkpoint, prefix = _pretrained_init(backbone)
        summary.pretrain_checkpoint = checkpoint
        pre_dataset = ''
        if checkpoint:
            (summary.method, pre_dataset,
             summary.pretrain_seed) = _describe_pretraining(
                checkpoint, list(search) + [osp.dirname(work_dir)])
            if _is_teacher(checkpoint, prefix):
                summary.method += ' [EMA teacher]'
        else:
            summary.method = 'random init'
        if backbone.get('frozen'):
            summary.protocol = 'linear'
        elif train_set.get('type') == 'LabelFractionDataset':
            summary.protocol = f"semi {100 * train_set['fraction']:g}%"
            if train_set.get('repeat_to_full'):
                summary.protocol += ' (full epochs)'
        elif not checkpoint:
            summary.protocol = 'scratch'
        elif pre_dataset and summary.dataset not in pre_dataset.split('+'):
            # pooled pretraining data that hold the downstream dataset's
            # training split is fine-tuning, not transfer
            summary.protocol = f'transfer from {pre_dataset}'
        else:
            summary.protocol = 'finetune'
    if train_runs:
        folders, records = _run_records(train_runs)
        losses = [(r['step'], r['loss']) for r in records
                  if 'loss' in r and 'step' in r]
        summary.loss_curve = losses
        if losses:
            tail = [loss for _, loss in losses[-5:]]
            summary.final_loss = sum(tail) / len(tail)
        epochs = [r['epoch'] for r in records if 'epoch' in r]
        summary.epochs_done = max(epochs) if epochs else None
        vals = [r for r in records if 'acc/top1' in r]
        summary.val_curve = [(r['step'], 100.0 * r['acc/top1'])
                             for r in vals]
        for r in records:
            for key, value in r.items():
                if key.startswith('knn/'):
                    summary.knn_curves.setdefault(key[4:], []).append(
                        (r.get('epoch', 0), value))
        if vals:
            summary.top1 = _percent(vals[-1].get('acc/top1'))
            summary.top5 = _percent(vals[-1].get('acc/top5'))
            summary.mean1 = _percent(vals[-1].get('acc/mean1'))
            summary.metric_source = 'val'
        times = [_log_wall_time(folder) for folder in folders]
        summary.wall_time_s = None if None in times else sum(times)
    if test_runs:
        run = test_runs[-1]
        with open(osp.join(run, f'{osp.basename(run)}.json')) as f:
            metrics = json.load(f)
        if 'acc/top1' in metrics:
            summary.top1 = _percent(metrics.get('acc/top1'))
            summary.top5 = _percent(metrics.get('acc/top5'))
            summary.mean1 = _percent(metrics.get('acc/mean1'))
            summary.metric_source = 'test'
    return summary
