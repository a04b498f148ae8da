"""The one-command benchmark sweep behind ``tools/analysis/benchmark_gpu.py``.

Each measurement runs in a fresh process: ``benchmark_pretrain.py`` at every
batch size and mode (:func:`step_benchmark`), the config's training data
loader over an NTU-shaped annotation file of synthetic clips
(:func:`loader_benchmark`, :mod:`.loader_throughput`), and ``tools/train.py``
for a few hundred iterations (:func:`train_run`). :func:`run_all` runs them
and projects the 800-epoch NTU-60 pretraining; :func:`report` writes the
markdown.
"""
import argparse
import glob
import json
import os
import os.path as osp
import pickle
import subprocess
import sys
import time
from typing import Dict, List, Optional

from ..datasets.synthetic_dataset import generate_synthetic_skeletons

NTU60_XSUB_TRAIN = 40091
EPOCHS = 800
MODES = {
    'fp32': [],
    'bf16': ['--amp-dtype', 'bf16'],
    'bf16+compile': ['--amp-dtype', 'bf16', '--compile'],
}
#: Dense (no sparsity) bf16 tensor-core peaks in TFLOP/s from the vendors'
#: data sheets, matched against the device name in this order.
DENSE_BF16_TFLOPS = (
    ('GH200', 989.0), ('H200', 989.0), ('H100 NVL', 835.0),
    ('H100 PCIe', 756.0), ('H100', 989.0),  # 'H100 80GB HBM3' is the SXM
    ('B200', 2250.0), ('A100', 312.0), ('A10G', 70.0), ('A10', 125.0),
    ('L40S', 362.0), ('L40', 181.0), ('L4', 121.0), ('V100', 125.0),
    ('RTX 4090', 165.0), ('RTX 3090', 71.0))


def dense_bf16_peak(device_name: str) -> Optional[float]:
    """Data-sheet dense bf16 TFLOP/s of a device name, if known."""
    for key, peak in DENSE_BF16_TFLOPS:
        if key.lower() in device_name.lower():
            return peak
    return None


def run_child(cmd: List[str], cwd: str, timeout: int,
              env: Optional[Dict[str, str]] = None) -> Dict:
    """Run a command in ``cwd``; its output, return code and wall time."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, env=env)
        code, out = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as err:
        code = 'timeout'
        out = (err.stdout or b'').decode(errors='replace') if isinstance(
            err.stdout, bytes) else (err.stdout or '')
    return dict(code=code, output=out, wall_s=time.perf_counter() - start)


def step_benchmark(args: argparse.Namespace, batch: int, mode: str) -> Dict:
    """One ``benchmark_pretrain.py`` run; its JSON result or the failure."""
    cmd = [sys.executable, osp.join(args.repo, 'tools', 'analysis',
                                    'benchmark_pretrain.py'), args.config,
           '--device', args.device, '--batch-size', str(batch), '--iters',
           str(args.iters), '--warmup', str(args.warmup), '--quiet',
           '--pipeline-samples', '0', *MODES[mode]]
    if args.device != 'cpu':
        cmd += ['--matmul-size', '8192']
    if args.cfg_options:
        cmd += ['--cfg-options', *args.cfg_options]
    child = run_child(cmd, args.repo, args.timeout)
    result = dict(batch=batch, mode=mode, wall_s=child['wall_s'])
    if child['code'] != 0:
        tail = child['output'].strip().splitlines()[-3:]
        oom = 'out of memory' in child['output'].lower()
        result['error'] = 'out of memory' if oom else ' | '.join(tail)
        return result
    data = json.loads(child['output'].strip().splitlines()[-1])
    step = data['step_s']['median']
    flops = data.get('flops_per_step')
    result.update(
        samples_per_s=data['samples_per_s'], step_s=step,
        max_allocated_mb=data.get('gpu_max_allocated_mb'),
        rss_peak_mb=data.get('rss_peak_mb'),
        tflops=flops / step / 1e12 if flops else None,
        device_name=data.get('device_name'),
        matmul_gflops=data.get('matmul_gflops_per_s', {}))
    return result


def write_annotations(path: str, num_samples: int) -> str:
    """An NTU-shaped annotation file (split ``xsub_train``) of synthetic clips.
    """
    samples = generate_synthetic_skeletons(num_samples, seed=0)
    with open(path, 'wb') as f:
        pickle.dump(dict(split=dict(xsub_train=[s['frame_dir']
                                                for s in samples]),
                         annotations=samples), f)
    return path


def loader_benchmark(args: argparse.Namespace, ann: str, workers: int,
                     batch: int) -> Dict:
    """Samples/s of the config's training data loader (fresh process)."""
    child = run_child([sys.executable, '-m',
                       'mmskel2vec.benchmark.loader_throughput', args.config,
                       ann, str(workers), str(batch),
                       str(args.loader_batches),
                       *(['--cfg-options', *args.cfg_options]
                         if args.cfg_options else [])], args.repo,
                      args.timeout)
    if child['code'] != 0:
        return dict(workers=workers, error=child['output'][-500:])
    data = json.loads(child['output'].strip().splitlines()[-1])
    return dict(workers=workers, samples_per_s=data['samples_per_s'])


def train_run(args: argparse.Namespace, ann: str, batch: int,
              workers: int) -> Dict:
    """``tools/train.py`` for ``--train-iters`` iterations; its step rate."""
    work_dir = osp.abspath(osp.join(args.out, 'train_run'))
    epochs = max(1, -(-args.train_iters * batch // args.samples))
    opts = [f'train_dataloader.dataset.ann_file={ann}',
            f'train_dataloader.batch_size={batch}',
            f'train_dataloader.num_workers={workers}',
            f'train_dataloader.persistent_workers={workers > 0}',
            f'train_cfg.max_epochs={epochs}',
            # one checkpoint at the end: the file's epochs are far shorter
            # than NTU's (313 iterations at 128), so per-epoch saving
            # would overstate the loop's cost
            f'default_hooks.checkpoint.interval={epochs}',
            'default_hooks.logger.interval=10', *args.cfg_options]
    cmd = [sys.executable, osp.join(args.repo, 'tools', 'train.py'),
           args.config, '--work-dir', work_dir, '--cfg-options', *opts]
    if args.device != 'cpu':  # bf16 autocast, as the step benchmark's
        cmd.insert(3, '--amp')
        cmd.append('optim_wrapper.dtype=bfloat16')
    env = dict(os.environ)
    if args.device == 'cpu':
        env['CUDA_VISIBLE_DEVICES'] = ''
    child = run_child(cmd, args.repo, args.timeout, env)
    result = dict(batch=batch, workers=workers, epochs=epochs,
                  wall_s=child['wall_s'])
    if child['code'] != 0:
        result['error'] = child['output'][-1500:]
        return result
    times = []
    for path in sorted(glob_scalars(work_dir)):
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if 'time' in record and 'loss' in record:
                    times.append(float(record['time']))
    steady = times[len(times) // 4:] or times
    result.update(iterations_logged=len(times),
                  step_s=sorted(steady)[len(steady) // 2] if steady else None)
    return result


def glob_scalars(work_dir: str) -> List[str]:
    """The ``vis_data/scalars.json`` files of a work directory."""
    return glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))


def fmt(value: Optional[float], spec: str = '.1f') -> str:
    """Format a number, '-' for None."""
    return '-' if value is None else format(value, spec)


def report(results: Dict) -> str:
    """The markdown report."""
    steps, device = results['steps'], results['device_name']
    peak, source = results['bf16_peak_tflops'], results['peak_source']
    lines = [f'# Pretraining benchmark: {osp.basename(results["config"])}',
             '', f'Device: {device}; dense bf16 peak {fmt(peak)} TFLOP/s '
             f'({source}).', '',
             '| mode | batch | samples/s | step (s) | max allocated (MiB) | '
             'TFLOP/s | of bf16 peak |', '|---|---:|---:|---:|---:|---:|---:|']
    for r in steps:
        if 'error' in r:
            lines.append(f"| {r['mode']} | {r['batch']} | {r['error']} | | "
                         '| | |')
            continue
        frac = r['tflops'] / peak if r.get('tflops') and peak else None
        lines.append(
            f"| {r['mode']} | {r['batch']} | {r['samples_per_s']:.1f} | "
            f"{r['step_s']:.4f} | {fmt(r['max_allocated_mb'], '.0f')} | "
            f"{fmt(r['tflops'], '.2f')} | {fmt(frac, '.1%')} |")
    lines += ['', '| loader workers | samples/s |', '|---:|---:|']
    for r in results['loader']:
        rate = (r['error'][-80:].replace('\n', ' ') if 'error' in r else
                fmt(r.get('samples_per_s')))
        lines.append(f"| {r['workers']} | {rate} |")
    best = results.get('best')
    if best:
        lines += ['', f"Model appetite: {best['samples_per_s']:.1f} samples/s "
                  f"({best['mode']}, batch {best['batch']})."]
        lines += ['', 'Projected 800-epoch NTU-60 xsub pretraining '
                  f'({NTU60_XSUB_TRAIN} clips): '
                  f"{results['projection_h']['1']:.1f} h on 1 device, "
                  f"{results['projection_h']['8']:.1f} h on 8 (perfect "
                  'scaling, an upper bound), at the best step rate; the '
                  'data loader must keep up (above).']
    train = results.get('train')
    if train:
        if 'error' in train:
            lines += ['', 'tools/train.py run failed: '
                      f"{train['error'][-300:]}"]
        else:
            lines += ['', f"tools/train.py, batch {train['batch']}, "
                      f"{train['workers']} workers, {train['epochs']} epochs "
                      f"({train['iterations_logged']} logged iterations): "
                      f"median step {fmt(train['step_s'], '.4f')} s; the "
                      f"benchmark's at that batch: "
                      f"{fmt(train.get('benchmark_step_s'), '.4f')} s; the "
                      f"full loop is {fmt(train.get('overhead'), '.1%')} "
                      'slower.']
    return '\n'.join(lines) + '\n'


def run_all(args: argparse.Namespace) -> Dict:
    """Run every measurement of the sweep; return the results.

    Args:
        args: The flags of ``tools/analysis/benchmark_gpu.py``, with
            ``repo`` the folder holding ``tools/`` (the checkout, or the
            installed package's ``.mim``).

    Returns:
        dict: ``steps`` (one per batch size and mode), ``device_name``,
        ``bf16_peak_tflops`` and ``peak_source``, ``best`` and
        ``projection_h``, ``loader`` (one per worker count) and ``train``.
    """
    os.makedirs(args.out, exist_ok=True)
    results: Dict = dict(config=args.config, device=args.device, steps=[])
    for batch in args.batch_sizes:
        for mode in args.modes:
            result = step_benchmark(args, batch, mode)
            results['steps'].append(result)
            print(json.dumps({k: v for k, v in result.items()
                              if k != 'matmul_gflops'}), flush=True)
    good = [r for r in results['steps'] if 'error' not in r]
    results['device_name'] = good[0]['device_name'] if good else args.device
    peak = dense_bf16_peak(results['device_name'])
    results['peak_source'] = 'data sheet'
    if peak is None and good:
        measured = good[0]['matmul_gflops'].get('bf16')
        peak = measured / 1e3 if measured else None
        results['peak_source'] = 'measured: 8192^2 bf16 matmul' \
            if args.device != 'cpu' else 'measured: bf16 matmul probe'
    results['bf16_peak_tflops'] = peak
    best = max(good, key=lambda r: r['samples_per_s']) if good else None
    results['best'] = best and {k: best[k] for k in
                                ('mode', 'batch', 'samples_per_s')}
    if best:
        hours = EPOCHS * NTU60_XSUB_TRAIN / best['samples_per_s'] / 3600
        results['projection_h'] = {'1': hours, '8': hours / 8}
    ann = write_annotations(osp.join(osp.abspath(args.out), 'ntu_shaped.pkl'),
                            args.samples)
    loader_batch = best['batch'] if best else args.batch_sizes[0]
    results['loader'] = [loader_benchmark(args, ann, w, loader_batch)
                         for w in args.workers]
    if args.train_iters > 0:
        batch = args.train_batch or loader_batch
        train = train_run(args, ann, batch, max(args.workers))
        same = [r for r in good if r['batch'] == batch and
                r['mode'] == ('fp32' if args.device == 'cpu' else 'bf16')]
        if same and train.get('step_s'):
            train['benchmark_step_s'] = same[0]['step_s']
            train['overhead'] = train['step_s'] / same[0]['step_s'] - 1
        results['train'] = train
    return results
