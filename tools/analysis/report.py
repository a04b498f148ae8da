"""Benchmark report: tables and plots from MMEngine work directories.

Scans work directories (the config dump, ``vis_data/scalars.json`` of the
training runs and the ``<timestamp>.json`` of ``tools/test.py`` runs) and
writes, into ``--out``:

- ``results.md`` and ``results.csv``: one row per evaluation run (method,
  backbone, protocol, dataset, split, top-1, top-5, mean class accuracy,
  seeds, epochs, wall time) and, in the markdown, a table of the
  pretraining runs;
- ``seeds.md`` and ``seeds.csv``: the evaluation runs that differ only in
  their seeds (pretraining or downstream ``randomness.seed``) pooled into
  one row: number of runs and their seeds, mean, sample standard
  deviation, minimum and maximum of the top-1 accuracy, mean of the mean
  class accuracy; ``seeds.md`` then compares every pooled pretrained row
  with random init of the same protocol (fine-tuning: from scratch): the
  difference of the means and its standard error;
- ``loss_curves.png``: training loss per iteration (pretraining and
  downstream runs side by side);
- ``val_accuracy.png``: validation top-1 per epoch of the downstream runs;
- ``knn.md`` and ``knn.csv``: the ``KNNMonitorHook`` figures of every
  pretraining run (kNN top-1 of the teacher and the student before training
  and at the end, and the share of the targets' variance explained by token
  position) and their mean and sample standard deviation over seeds;
- ``knn_curves.png``: those figures per epoch;
- ``tsne_<name>.png`` for every ``--tsne NAME CONFIG CHECKPOINT``: a t-SNE
  (scikit-learn's, through ``mmskel2vec.analysis.tsne``) of the pooled
  backbone features of the config's test set, coloured by class.

The plots draw many work directories in one figure, which MMEngine's
visualizer (one run's scalars and images, through its backends) does not
do, so they are drawn with matplotlib; every curve is read from the runs'
``scalars.json``.

Example:
    python tools/analysis/report.py work_dirs/bench --out docs/benchmarks \
        --tsne skeleton2vec configs/.../linear.py work_dirs/pre/epoch_100.pth
"""
import argparse
import csv
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

try:
    import mmskel2vec  # noqa: F401  (applies the compat fixes, registers)
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(
        0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    import mmskel2vec  # noqa: F401

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from mmskel2vec.analysis import (RunSummary, extract_pooled_features,  # noqa
                                 find_work_dirs, summarize_work_dir, tsne)

COLUMNS = ('method', 'backbone', 'protocol', 'dataset', 'split', 'top1',
           'top5', 'mean_class_acc', 'metric_source', 'seeds', 'epochs',
           'wall_time', 'work_dir')
SEED_COLUMNS = ('method', 'backbone', 'protocol', 'dataset', 'split',
                'metric_source', 'epochs', 'runs', 'seeds', 'top1_mean',
                'top1_std',
                'top1_min', 'top1_max', 'mean_class_acc_mean')
KNN_COLUMNS = ('method', 'dataset', 'seed', 'epochs', 'teacher_top1_start',
               'teacher_top1_end', 'student_top1_end', 'position_share_start',
               'position_share_end', 'work_dir')
KNN_CURVES = (('teacher_top1', 'kNN top-1 (%)', '-'),
              ('student_top1', 'kNN top-1 (%)', '--'),
              ('position_share', 'target variance share of position', '-'))


def _fmt(value: Optional[float], digits: int = 2) -> str:
    """A number with fixed digits, or ``-``."""
    return '-' if value is None else f'{value:.{digits}f}'


def _duration(seconds: Optional[float]) -> str:
    """``1h02m``, ``3m05s`` or ``-``."""
    if seconds is None:
        return '-'
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f'{hours}h{minutes:02d}m' if hours else f'{minutes}m{secs:02d}s'


def _epochs(summary: RunSummary) -> str:
    """Epochs done (of configured, when the run stopped early)."""
    if summary.epochs_done is None:
        return '-' if summary.epochs is None else str(summary.epochs)
    if summary.epochs and summary.epochs_done != summary.epochs:
        return f'{summary.epochs_done}/{summary.epochs}'
    return str(summary.epochs_done)


def _seeds(summary: RunSummary) -> str:
    """``pretraining seed / run seed``, ``-`` for what is unknown."""
    def one(seed: Optional[int]) -> str:
        return '-' if seed is None else str(seed)

    return f'{one(summary.pretrain_seed)} / {one(summary.seed)}'


def _order(row: Dict[str, str]) -> Tuple:
    """Sort key of a table row: dataset, then protocol, then method."""
    order = {'linear': 0, 'finetune': 1, 'scratch': 3}
    return (row['dataset'], order.get(row['protocol'], 2), row['protocol'],
            row['method'])


def rows(summaries: Sequence[RunSummary]) -> List[Dict[str, str]]:
    """Table rows of the evaluation (non-pretraining) runs."""
    table = []
    for s in summaries:
        if s.kind == 'pretrain':
            continue
        table.append(
            dict(method=s.method, backbone=s.backbone, protocol=s.protocol,
                 dataset=s.dataset, split=s.split, top1=_fmt(s.top1),
                 top5=_fmt(s.top5), mean_class_acc=_fmt(s.mean1),
                 metric_source=s.metric_source, seeds=_seeds(s),
                 epochs=_epochs(s), wall_time=_duration(s.wall_time_s),
                 work_dir=s.work_dir))
    table.sort(key=_order)
    return table


def seed_rows(summaries: Sequence[RunSummary]) -> List[Dict[str, str]]:
    """Evaluation runs that differ only in their seeds, one row per group.

    Runs are pooled when method, backbone, protocol, dataset, split, metric
    source and epochs agree; runs without a top-1 are left out.
    """
    groups: Dict[Tuple, List[RunSummary]] = {}
    for s in summaries:
        if s.kind == 'pretrain' or s.top1 is None:
            continue
        key = (s.method, s.backbone, s.protocol, s.dataset, s.split,
               s.metric_source, _epochs(s))
        groups.setdefault(key, []).append(s)
    table = []
    for key, runs in groups.items():
        top1 = np.array([r.top1 for r in runs])
        mean1 = [r.mean1 for r in runs if r.mean1 is not None]
        table.append(
            dict(zip(SEED_COLUMNS[:7], key), runs=str(len(runs)),
                 seeds=', '.join(_seeds(r).replace(' ', '') for r in runs),
                 top1_mean=_fmt(top1.mean()),
                 top1_std=_fmt(top1.std(ddof=1) if len(runs) > 1 else None),
                 top1_min=_fmt(top1.min()), top1_max=_fmt(top1.max()),
                 mean_class_acc_mean=_fmt(np.mean(mean1) if mean1 else None)))
    table.sort(key=_order)
    return table


def markdown(summaries: Sequence[RunSummary], title: str) -> str:
    """The results as markdown tables."""
    lines = [f'# {title}', '', '## Evaluation runs', '',
             '| method | backbone | protocol | dataset | split | top-1 (%) '
             '| top-5 (%) | mean class acc (%) | seeds (pretraining / run) '
             '| epochs | wall time |',
             '|---|---|---|---|---|---:|---:|---:|---:|---:|---:|']
    for r in rows(summaries):
        source = '' if r['metric_source'] == 'test' else ' (val)'
        lines.append(
            f"| {r['method']} | {r['backbone']} | {r['protocol']} | "
            f"{r['dataset']} | {r['split']} | {r['top1']}{source} | "
            f"{r['top5']} | {r['mean_class_acc']} | {r['seeds']} | "
            f"{r['epochs']} | {r['wall_time']} |")
    pre = [s for s in summaries if s.kind == 'pretrain']
    if pre:
        lines += ['', '## Pretraining runs', '',
                  '| method | backbone | dataset | split | epochs | '
                  'final loss | wall time | work dir |',
                  '|---|---|---|---|---:|---:|---:|---|']
        for s in sorted(pre, key=lambda s: (s.dataset, s.method)):
            lines.append(
                f'| {s.method} | {s.backbone} | {s.dataset} | {s.split} | '
                f'{_epochs(s)} | {_fmt(s.final_loss, 4)} | '
                f'{_duration(s.wall_time_s)} | {osp.basename(s.work_dir)} |')
    lines += ['', 'Metrics are from `tools/test.py` when a test run is in '
              'the work directory, else from the last validation '
              '(marked "(val)").', '']
    return '\n'.join(lines)


def _baseline_protocol(protocol: str) -> str:
    """The random-init protocol a pretrained protocol is compared with."""
    return 'scratch' if protocol == 'finetune' else protocol


def comparison_rows(summaries: Sequence[RunSummary]) -> List[Dict[str, str]]:
    """Each pooled pretrained row against random init of its protocol.

    The difference of the mean top-1 and its standard error
    ``sqrt(s1^2 / n1 + s2^2 / n2)`` (sample standard deviations), for
    groups of at least two runs on both sides.
    """
    pooled = seed_rows(summaries)
    base = {(r['backbone'], r['protocol'], r['dataset'], r['split']): r
            for r in pooled if r['method'] == 'random init'}
    table = []
    for r in pooled:
        if r['method'] == 'random init':
            continue
        ref = base.get((r['backbone'], _baseline_protocol(r['protocol']),
                        r['dataset'], r['split']))
        if ref is None or int(r['runs']) < 2 or int(ref['runs']) < 2:
            continue
        diff = float(r['top1_mean']) - float(ref['top1_mean'])
        se = (float(r['top1_std'])**2 / int(r['runs']) +
              float(ref['top1_std'])**2 / int(ref['runs']))**0.5
        table.append(dict(
            method=r['method'], protocol=r['protocol'], dataset=r['dataset'],
            runs=f"{r['runs']} / {ref['runs']}",
            top1=f"{r['top1_mean']} / {ref['top1_mean']}",
            diff=_fmt(diff), se=_fmt(se),
            z=_fmt(diff / se if se > 0 else float('nan'))))
    return table


def seed_markdown(summaries: Sequence[RunSummary], title: str) -> str:
    """The runs pooled over seeds as a markdown table."""
    lines = [f'# {title}: mean over seeds', '',
             '| method | backbone | protocol | dataset | split | epochs | '
             'runs | seeds (pretraining/run) | top-1 mean (%) | top-1 std | '
             'top-1 min | top-1 max | mean class acc (%) |',
             '|---|---|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|']
    for r in seed_rows(summaries):
        source = '' if r['metric_source'] == 'test' else ' (val)'
        lines.append(
            f"| {r['method']} | {r['backbone']} | {r['protocol']} | "
            f"{r['dataset']} | {r['split']} | {r['epochs']} | {r['runs']} | "
            f"{r['seeds']} | {r['top1_mean']}{source} | {r['top1_std']} | "
            f"{r['top1_min']} "
            f"| {r['top1_max']} | {r['mean_class_acc_mean']} |")
    lines += ['', 'Runs are pooled when everything but their seeds agrees; '
              'the standard deviation is the sample one (n - 1).', '']
    compared = comparison_rows(summaries)
    if compared:
        lines += ['## Against random init', '',
                  '| method | protocol | dataset | runs (pretrained / random '
                  'init) | top-1 mean (%) | difference | standard error | '
                  'difference / SE |',
                  '|---|---|---|---:|---:|---:|---:|---:|']
        for r in compared:
            lines.append(
                f"| {r['method']} | {r['protocol']} | {r['dataset']} | "
                f"{r['runs']} | {r['top1']} | {r['diff']} | {r['se']} | "
                f"{r['z']} |")
        lines += ['', 'Fine-tuning is compared with training from scratch; '
                  'the standard error is sqrt(s1^2/n1 + s2^2/n2).', '']
    return '\n'.join(lines)


def _knn(s: RunSummary, key: str, end: bool) -> Optional[float]:
    """First or last value of one kNN monitor curve."""
    curve = s.knn_curves.get(key)
    return (curve[-1] if end else curve[0])[1] if curve else None


def knn_rows(summaries: Sequence[RunSummary]) -> List[Dict[str, str]]:
    """One row per pretraining run with kNN monitor figures."""
    table = []
    for s in summaries:
        if s.kind != 'pretrain' or not s.knn_curves:
            continue
        table.append(dict(
            method=s.method, dataset=s.dataset,
            seed='-' if s.seed is None else str(s.seed), epochs=_epochs(s),
            teacher_top1_start=_fmt(_knn(s, 'teacher_top1', False)),
            teacher_top1_end=_fmt(_knn(s, 'teacher_top1', True)),
            student_top1_end=_fmt(_knn(s, 'student_top1', True)),
            position_share_start=_fmt(_knn(s, 'position_share', False), 3),
            position_share_end=_fmt(_knn(s, 'position_share', True), 3),
            work_dir=s.work_dir))
    table.sort(key=lambda r: (r['dataset'], r['method'], r['seed']))
    return table


def _mean_std(values: Sequence[float], digits: int = 2) -> str:
    """``mean ± sample std`` (just the value for one run)."""
    if not values:
        return ''
    if len(values) == 1:
        return _fmt(values[0], digits)
    return (f'{_fmt(float(np.mean(values)), digits)} ± '
            f'{_fmt(float(np.std(values, ddof=1)), digits)}')


def knn_markdown(summaries: Sequence[RunSummary], title: str) -> str:
    """The kNN monitor figures per run and pooled over seeds."""
    table = knn_rows(summaries)
    lines = [f'# {title}: kNN monitor of the pretraining runs', '',
             '| method | dataset | seed | epochs | teacher kNN top-1, start '
             '(%) | teacher, end (%) | student, end (%) | position share, '
             'start | position share, end |',
             '|---|---|---:|---:|---:|---:|---:|---:|---:|']
    for r in table:
        lines.append(
            f"| {r['method']} | {r['dataset']} | {r['seed']} | "
            f"{r['epochs']} | {r['teacher_top1_start']} | "
            f"{r['teacher_top1_end']} | {r['student_top1_end']} | "
            f"{r['position_share_start']} | {r['position_share_end']} |")
    groups: Dict[Tuple[str, str], List[RunSummary]] = {}
    for s in summaries:
        if s.kind == 'pretrain' and s.knn_curves:
            groups.setdefault((s.method, s.dataset), []).append(s)
    lines += ['', '## Mean ± sample std over seeds', '',
              '| method | dataset | runs | teacher kNN top-1, end (%) | '
              'student, end (%) | position share, end |',
              '|---|---|---:|---:|---:|---:|']
    for (method, dataset), runs in sorted(groups.items(),
                                          key=lambda kv: (kv[0][1], kv[0][0])):
        def values(key, runs=runs):
            return [v for v in (_knn(r, key, True) for r in runs)
                    if v is not None]
        lines.append(
            f'| {method} | {dataset} | {len(runs)} | '
            f"{_mean_std(values('teacher_top1'))} | "
            f"{_mean_std(values('student_top1'))} | "
            f"{_mean_std(values('position_share'), 3)} |")
    lines += ['', 'Weighted kNN (k = 20, temperature 0.07, cosine) of '
              'mean-pooled features, labelled training split as the bank, '
              'test split scored (`KNNMonitorHook`); start = before the '
              'first step.', '']
    return '\n'.join(lines)


def plot_knn(summaries: Sequence[RunSummary], out_dir: str) -> List[str]:
    """kNN top-1 and position-share curves of the pretraining runs."""
    runs = [s for s in summaries if s.kind == 'pretrain' and s.knn_curves]
    if not runs:
        return []
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5))
    colors = _colors(len(runs))
    for color, s in zip(colors, runs):
        seed = '' if s.seed is None else f', seed {s.seed}'
        for key, _, style in KNN_CURVES:
            curve = s.knn_curves.get(key)
            if not curve:
                continue
            ax = axes[1] if key == 'position_share' else axes[0]
            epochs, values = zip(*curve)
            who = '' if key == 'position_share' else \
                f" [{key.split('_')[0]}]"
            ax.plot(epochs, values, style, color=color, marker='o',
                    markersize=2, linewidth=1,
                    label=f'{_label(s)}{seed}{who}')
    for ax, (title, ylabel) in zip(axes, (
            ('kNN top-1 (teacher solid, student dashed)', 'top-1 (%)'),
            ('target variance explained by token position', 'share'))):
        ax.set_title(title)
        ax.set_xlabel('epoch')
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=6, loc='upper left', bbox_to_anchor=(0, -0.15),
                   ncol=2)
    fig.tight_layout()
    path = osp.join(out_dir, 'knn_curves.png')
    fig.savefig(path, dpi=120, bbox_inches='tight')
    plt.close(fig)
    return [path]


def write_csv(table: Sequence[Dict[str, str]], columns: Sequence[str],
              path: str) -> None:
    """Table rows as CSV."""
    with open(path, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(table)


def _label(s: RunSummary) -> str:
    """Short legend label of a run."""
    if s.kind == 'pretrain':
        return f'{s.method} ({s.dataset})'
    return f'{s.protocol}: {s.method} ({s.dataset})'


def _colors(count: int) -> List:
    """Distinct colours for ``count`` lines (tab10, else tab20)."""
    cmap = plt.get_cmap('tab10' if count <= 10 else 'tab20')
    return [cmap(i % cmap.N) for i in range(max(count, 1))]


def plot_curves(summaries: Sequence[RunSummary], out_dir: str) -> List[str]:
    """Training-loss and validation-accuracy figures; returns the paths."""
    paths = []
    groups = [('pretraining', [s for s in summaries if s.kind == 'pretrain']),
              ('downstream', [s for s in summaries if s.kind != 'pretrain'])]
    groups = [(name, runs) for name, runs in groups
              if any(r.loss_curve for r in runs)]
    if groups:
        fig, axes = plt.subplots(len(groups), 1,
                                 figsize=(11, 4.2 * len(groups)),
                                 squeeze=False)
        for ax, (name, runs) in zip(axes[:, 0], groups):
            ax.set_prop_cycle(color=_colors(len(runs)))
            for s in runs:
                if s.loss_curve:
                    steps, losses = zip(*s.loss_curve)
                    ax.plot(steps, losses, label=_label(s), linewidth=1)
            ax.set_title(f'{name} training loss')
            ax.set_xlabel('iteration')
            ax.set_ylabel('loss')
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7, loc='center left', bbox_to_anchor=(1, 0.5))
        fig.tight_layout()
        paths.append(osp.join(out_dir, 'loss_curves.png'))
        fig.savefig(paths[-1], dpi=120)
        plt.close(fig)
    runs = [s for s in summaries if s.val_curve]
    if runs:
        fig, ax = plt.subplots(figsize=(11, 4.5))
        ax.set_prop_cycle(color=_colors(len(runs)))
        for s in runs:
            epochs, acc = zip(*s.val_curve)
            ax.plot(epochs, acc, marker='o', markersize=3, label=_label(s))
        ax.set_title('validation top-1 accuracy')
        ax.set_xlabel('epoch')
        ax.set_ylabel('top-1 (%)')
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc='center left', bbox_to_anchor=(1, 0.5))
        fig.tight_layout()
        paths.append(osp.join(out_dir, 'val_accuracy.png'))
        fig.savefig(paths[-1], dpi=120)
        plt.close(fig)
    return paths


def plot_tsne(name: str, config: str, checkpoint: Optional[str],
              out_dir: str, max_samples: int,
              prefix: str = 'backbone.') -> str:
    """t-SNE of pooled test-set features coloured by class; the PNG path."""
    feats, labels, classes = extract_pooled_features(
        config, checkpoint, max_samples=max_samples, prefix=prefix)
    embedding, kl = tsne(feats)
    fig, ax = plt.subplots(figsize=(7, 6))
    cmap = plt.get_cmap('tab20' if len(classes) > 10 else 'tab10')
    for label in sorted(set(labels.tolist())):
        pick = labels == label
        ax.scatter(embedding[pick, 0], embedding[pick, 1], s=8,
                   color=cmap(label % cmap.N),
                   label=classes[label] if label < len(classes) else label)
    ax.set_title(f't-SNE of pooled features: {name}\n({len(labels)} test '
                 f'samples, scikit-learn t-SNE, KL {kl:.2f})', fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(fontsize=6, markerscale=2, loc='best')
    fig.tight_layout()
    path = osp.join(out_dir, f'tsne_{name}.png')
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def parse_args() -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description='Benchmark report')
    parser.add_argument('roots', nargs='+',
                        help='work directories or folders holding them')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--title', default='Benchmark results')
    parser.add_argument(
        '--tsne', nargs=3, action='append', default=[],
        metavar=('NAME', 'CONFIG', 'CHECKPOINT'),
        help="t-SNE of the pooled features of CONFIG's test set with the "
        "backbone of CHECKPOINT ('none': random init); repeatable")
    parser.add_argument('--tsne-prefix', default='backbone.',
                        help="backbone prefix in the t-SNE checkpoints "
                        "('teacher.' for the EMA teacher)")
    parser.add_argument('--tsne-samples', type=int, default=1000)
    parser.add_argument(
        '--search', action='append', default=[],
        help='folder that relative init_cfg checkpoint paths are relative to')
    return parser.parse_args()


def main() -> None:
    """Scan, write the tables and the plots."""
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    summaries = []
    for work_dir in find_work_dirs(args.roots):
        summary = summarize_work_dir(work_dir, search=args.search)
        if summary is not None:
            summaries.append(summary)
    if not summaries:
        sys.exit(f'report: no MMEngine work directory under {args.roots}')
    written = []
    for name, text, table, columns in (
            ('results', markdown(summaries, args.title), rows(summaries),
             COLUMNS),
            ('seeds', seed_markdown(summaries, args.title),
             seed_rows(summaries), SEED_COLUMNS),
            ('knn', knn_markdown(summaries, args.title), knn_rows(summaries),
             KNN_COLUMNS)):
        with open(osp.join(args.out, f'{name}.md'), 'w') as f:
            f.write(text)
        write_csv(table, columns, osp.join(args.out, f'{name}.csv'))
        written += [osp.join(args.out, f'{name}.{ext}')
                    for ext in ('md', 'csv')]
    written += plot_curves(summaries, args.out)
    written += plot_knn(summaries, args.out)
    for name, config, checkpoint in args.tsne:
        written.append(
            plot_tsne(name, config,
                      None if checkpoint == 'none' else checkpoint, args.out,
                      args.tsne_samples, args.tsne_prefix))
    print(f'{len(summaries)} work directories summarized; wrote:')
    for path in written:
        print(f'  {path}')


if __name__ == '__main__':
    main()
