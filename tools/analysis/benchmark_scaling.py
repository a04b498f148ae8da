"""How a pretraining step scales with frames, joints, persons and batch.

Starting from a config (by default the paper's: 120 frames, 25 joints, 2
persons, batch 32), one factor at a time is varied and the step is timed by
``benchmark_pretrain.run_benchmark``, each point in a fresh process so that
its peak RSS is its own. For every factor the exponent of a log-log fit of
seconds per step, RSS increase and FLOPs against the factor is printed, with
the attention share of the FLOPs; a time exponent near 2 for frames or
joints means attention's quadratic cost dominates.

Example::

    python tools/analysis/benchmark_scaling.py \\
        configs/_base_/models/skeleton2vec_stt-8x256.py \\
        configs/_base_/schedules/adamw_cosine_400e.py \\
        --threads 2 --iters 2 --warmup 1 --out scaling.json
"""
import argparse
import concurrent.futures
import json
import multiprocessing
import os
import sys
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchmark_pretrain as bench  # noqa: E402

#: factor -> (benchmark option, default values); the base point is ``BASE``.
FACTORS = {
    'frames': ('--clip-len', (60, 120, 240)),
    'joints': ('--num-joints', (25, 50)),
    'persons': ('--num-person', (1, 2)),
    'batch': ('--batch-size', (8, 32, 64)),
}
BASE = dict(frames=120, joints=25, persons=2, batch=32)


def parse_settings(items: Optional[Sequence[str]],
                   multi: bool) -> Dict[str, Any]:
    """``factor=value`` (or ``factor=v1,v2``) items into a dict."""
    settings = {}
    for item in items or []:
        name, _, value = item.partition('=')
        if name not in FACTORS or not value:
            raise ValueError(f'expected FACTOR=VALUE with FACTOR in '
                             f'{sorted(FACTORS)}, got {item!r}')
        values = tuple(int(v) for v in value.split(','))
        settings[name] = values if multi else values[0]
    return settings


def point_argv(config: Sequence[str], factor: str, value: int,
               args: argparse.Namespace) -> List[str]:
    """Benchmark command line of one point: the base with one factor set."""
    settings = dict(BASE, **parse_settings(args.base, multi=False))
    settings[factor] = value
    argv = list(config) + [
        '--clip-len', str(settings['frames']),
        '--num-joints', str(settings['joints']),
        '--num-person', str(settings['persons']),
        '--batch-size', str(settings['batch']),
        '--iters', str(args.iters), '--warmup', str(args.warmup),
        '--persons-present', '2', '--amp-dtype', args.amp_dtype,
        '--device', args.device, '--no-matmul', '--pipeline-samples', '0',
        '--quiet'
    ]
    if args.threads:
        argv += ['--threads', str(args.threads)]
    if args.cfg_options:
        argv += ['--cfg-options'] + list(args.cfg_options)
    return argv


def run_point(argv: List[str]) -> Dict[str, Any]:
    """Run one benchmark (in the calling process) from its command line."""
    return bench.run_benchmark(bench.parse_args(argv))


def run_isolated(argv: List[str]) -> Dict[str, Any]:
    """``run_point`` in a fresh spawned process (own ``ru_maxrss``)."""
    ctx = multiprocessing.get_context('spawn')
    with concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=ctx) as pool:
        return pool.submit(run_point, argv).result()


def loglog_exponent(xs: Sequence[float],
                    ys: Sequence[Optional[float]]) -> Optional[float]:
    """Slope of the least-squares line through ``(log x, log y)``."""
    pairs = [(x, y) for x, y in zip(xs, ys) if y is not None and y > 0]
    if len(pairs) < 2:
        return None
    x, y = np.log(np.array(pairs, dtype=float)).T
    return float(np.polyfit(x, y, 1)[0])


def summarize(points: Dict[str, List[Dict[str, Any]]]) -> Dict[str, Any]:
    """Exponents per factor from the measured points."""
    summary = {}
    for factor, rows in points.items():
        xs = [row['value'] for row in rows]
        summary[factor] = dict(
            time_exponent=loglog_exponent(xs, [r['step_s'] for r in rows]),
            rss_increase_exponent=loglog_exponent(
                xs, [r['rss_increase_mb'] for r in rows]),
            flops_exponent=loglog_exponent(
                xs, [r['flops_per_step'] for r in rows]))
    return summary


def format_tables(points: Dict[str, List[Dict[str, Any]]],
                  summary: Dict[str, Any]) -> str:
    """Markdown tables of the points and exponents."""
    def fmt(value, spec):
        return '-' if value is None else format(value, spec)

    lines = [
        '| factor | value | s/step | samples/s | peak RSS MiB | '
        'RSS increase MiB | GPU MiB | GFLOP/step | attention FLOP share | '
        'other load (cores) |',
        '|---|---|---|---|---|---|---|---|---|---|'
    ]
    for factor, rows in points.items():
        for row in rows:
            flops = row['flops_per_step']
            lines.append(
                f"| {factor} | {row['value']} | {row['step_s']:.2f} | "
                f"{row['samples_per_s']:.2f} | {row['rss_peak_mb']:.0f} | "
                f"{row['rss_increase_mb']:.0f} | "
                f"{fmt(row['gpu_max_allocated_mb'], '.0f')} | "
                f"{fmt(flops and flops / 1e9, '.0f')} | "
                f"{fmt(row['attention_flop_share'], '.2f')} | "
                f"{fmt(row['other_processes_cores'], '.2f')} |")
    lines += [
        '', '| factor | time exponent | RSS-increase exponent | '
        'FLOP exponent |', '|---|---|---|---|'
    ]
    for factor, fit in summary.items():
        lines.append(f"| {factor} | {fmt(fit['time_exponent'], '.2f')} | "
                     f"{fmt(fit['rss_increase_exponent'], '.2f')} | "
                     f"{fmt(fit['flops_exponent'], '.2f')} |")
    return '\n'.join(lines)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command line of the scaling study."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', nargs='+')
    parser.add_argument('--factors', nargs='+', choices=sorted(FACTORS),
                        default=list(FACTORS))
    parser.add_argument('--iters', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--amp-dtype', choices=sorted(bench.AMP_DTYPES),
                        default='none')
    parser.add_argument('--base', nargs='+', metavar='FACTOR=VALUE',
                        help=f'base point (default {BASE})')
    parser.add_argument('--values', nargs='+', metavar='FACTOR=V1,V2',
                        help='values of a factor (default: '
                        + ', '.join(f'{k}={",".join(map(str, v[1]))}'
                                    for k, v in FACTORS.items()) + ')')
    parser.add_argument('--cfg-options', nargs='+', default=None,
                        help='passed on to benchmark_pretrain')
    parser.add_argument('--out', help='write all points and fits as JSON')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Run every point, print the tables and a final JSON line."""
    args = parse_args(argv)
    points: Dict[str, List[Dict[str, Any]]] = {}
    cache: Dict[tuple, Dict[str, Any]] = {}
    custom = parse_settings(args.values, multi=True)
    for factor in args.factors:
        for value in custom.get(factor, FACTORS[factor][1]):
            argv_point = point_argv(args.config, factor, value, args)
            key = tuple(argv_point)
            if key not in cache:  # the base point is shared by all factors
                print(f'[{factor}={value}] {" ".join(argv_point)}',
                      flush=True)
                cache[key] = run_isolated(argv_point)
            result = cache[key]
            points.setdefault(factor, []).append(
                dict(value=value,
                     step_s=result['step_s']['median'],
                     samples_per_s=result['samples_per_s'],
                     rss_peak_mb=result['rss_peak_mb'],
                     rss_increase_mb=result['rss_increase_mb'],
                     gpu_max_allocated_mb=result['gpu_max_allocated_mb'],
                     flops_per_step=result['flops_per_step'],
                     attention_flop_share=result['attention_flop_share'],
                     other_processes_cores=result['other_processes_cores'],
                     phases_s=result['phases_s']))
    summary = summarize(points)
    print(format_tables(points, summary))
    output = dict(base=dict(BASE, **parse_settings(args.base, False)),
                  points=points, exponents=summary,
                  device=args.device, amp_dtype=args.amp_dtype)
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(output, f, indent=1)
    print(json.dumps(output))
    return output


if __name__ == '__main__':
    main()
