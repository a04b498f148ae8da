"""One-command GPU benchmark of the paper's pretraining configuration.

Runs, each in a fresh process:

1. ``benchmark_pretrain.py`` at every batch size (default 64, 128, 256) in
   every mode (fp32, bf16 autocast, bf16 + ``torch.compile`` of the blocks):
   samples/s, max allocated memory, achieved TFLOP/s and its fraction of the
   GPU's dense bf16 peak (looked up from the device name, else measured with
   a large bf16 matmul);
2. the config's real training data loader (``CheckedPoseDataset`` and the
   pretraining pipeline) over an NTU-shaped annotation file written from the
   embedded synthetic generator, with 4, 8 and 16 workers: samples/s against
   the model's appetite;
3. ``tools/train.py`` for 200 iterations on that file (``--amp``
   on GPUs), and how far the full loop (data loader, hooks, logging,
   checkpointing) falls behind the benchmark's step rate at the same batch;

then projects the wall time of the 800-epoch NTU-60 pretraining (40,091
training clips) on 1 and 8 GPUs (8: perfect scaling assumed, an upper
bound). Prints a markdown report and writes it, with every raw result, to
``--out`` (``report.md``, ``results.json``).

Usage (about 8 minutes on one H100-class GPU):
    python tools/analysis/benchmark_gpu.py [--out work_dirs/benchmark_gpu]

On CPU, with a tiny configuration, the same code runs in CI:
    python tools/analysis/benchmark_gpu.py --device cpu --batch-sizes 2
        --modes fp32 --workers 0 1 --train-iters 4 --config DEMO_CONFIG
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

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAPER = osp.join(REPO, 'configs', 'skeleton2vec',
                 'skeleton2vec_stt-8x256_2xb64-800e_ntu60-xsub-keypoint-3d.py')
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


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line flags."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=PAPER)
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--batch-sizes', type=int, nargs='+',
                        default=[64, 128, 256])
    parser.add_argument('--modes', nargs='+', choices=sorted(MODES),
                        default=list(MODES))
    parser.add_argument('--iters', type=int, default=10,
                        help='timed steps per benchmark run')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--workers', type=int, nargs='+', default=[4, 8, 16],
                        help='data loader workers to measure')
    parser.add_argument('--loader-batches', type=int, default=20)
    parser.add_argument('--train-iters', type=int, default=200,
                        help='iterations of the real tools/train.py run')
    parser.add_argument('--train-batch', type=int, default=None,
                        help='batch of that run (default: the largest '
                        'benchmarked batch that fit)')
    parser.add_argument('--samples', type=int, default=512,
                        help='clips in the NTU-shaped annotation file')
    parser.add_argument('--out', default='work_dirs/benchmark_gpu')
    parser.add_argument('--timeout', type=int, default=600,
                        help='seconds per child process')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value overrides passed to every run')
    return parser.parse_args(argv)


def dense_bf16_peak(device_name: str) -> Optional[float]:
    """Data-sheet dense bf16 TFLOP/s of a device name, if known."""
    for key, peak in DENSE_BF16_TFLOPS:
        if key.lower() in device_name.lower():
            return peak
    return None


def run_child(cmd: List[str], timeout: int, env=None) -> Dict:
    """Run a command; its output, return code and wall time."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                              timeout=timeout, env=env)
        code, out = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as err:
        code = 'timeout'
        out = (err.stdout or b'').decode(errors='replace') if isinstance(
            err.stdout, bytes) else (err.stdout or '')
    return dict(code=code, output=out, wall_s=time.perf_counter() - start)


def step_benchmark(args, batch: int, mode: str) -> Dict:
    """One ``benchmark_pretrain.py`` run; its JSON result or the failure."""
    cmd = [sys.executable, osp.join(REPO, 'tools', 'analysis',
                                    'benchmark_pretrain.py'), args.config,
           '--device', args.device, '--batch-size', str(batch), '--iters',
           str(args.iters), '--warmup', str(args.warmup), '--quiet',
           '--pipeline-samples', '0', *MODES[mode]]
    if args.device != 'cpu':
        cmd += ['--matmul-size', '8192']
    if args.cfg_options:
        cmd += ['--cfg-options', *args.cfg_options]
    child = run_child(cmd, args.timeout)
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
    from mmskel2vec.datasets.synthetic_dataset import \
        generate_synthetic_skeletons
    samples = generate_synthetic_skeletons(num_samples, seed=0)
    with open(path, 'wb') as f:
        pickle.dump(dict(split=dict(xsub_train=[s['frame_dir']
                                                for s in samples]),
                         annotations=samples), f)
    return path


LOADER_CODE = '''
import json, sys, time
import mmskel2vec  # noqa: F401
from argparse import ArgumentParser
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
config, ann, workers, batch, batches = sys.argv[1:6]
cfg = Config.fromfile(config)
parser = ArgumentParser()
parser.add_argument('--cfg-options', nargs='+', action=DictAction)
options = parser.parse_args(sys.argv[6:]).cfg_options
if options:
    cfg.merge_from_dict(options)
init_default_scope(cfg.get('default_scope', 'mmaction'))
loader = cfg.train_dataloader
loader.update(batch_size=int(batch), num_workers=int(workers),
              persistent_workers=int(workers) > 0)
dataset = loader.dataset
while 'ann_file' not in dataset:
    dataset = dataset.dataset
dataset.update(ann_file=ann, split='xsub_train')
built = Runner.build_dataloader(loader, seed=0)
it = iter(built)
next(it)  # workers started
start, seen = time.perf_counter(), 0
for _ in range(int(batches)):
    try:
        seen += len(next(it)['inputs'])
    except StopIteration:
        it = iter(built)
        seen += len(next(it)['inputs'])
print(json.dumps(dict(samples_per_s=seen / (time.perf_counter() - start))))
'''


def loader_benchmark(args, ann: str, workers: int, batch: int) -> Dict:
    """Samples/s of the config's training data loader."""
    child = run_child([sys.executable, '-c', LOADER_CODE, args.config, ann,
                       str(workers), str(batch), str(args.loader_batches),
                       *(['--cfg-options', *args.cfg_options]
                         if args.cfg_options else [])], args.timeout)
    if child['code'] != 0:
        return dict(workers=workers, error=child['output'][-500:])
    data = json.loads(child['output'].strip().splitlines()[-1])
    return dict(workers=workers, samples_per_s=data['samples_per_s'])


def train_run(args, ann: str, batch: int, workers: int) -> Dict:
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
    cmd = [sys.executable, osp.join(REPO, 'tools', 'train.py'), args.config,
           '--work-dir', work_dir, '--cfg-options', *opts]
    if args.device != 'cpu':  # bf16 autocast, as the step benchmark's
        cmd.insert(3, '--amp')
        cmd.append('optim_wrapper.dtype=bfloat16')
    env = dict(os.environ)
    if args.device == 'cpu':
        env['CUDA_VISIBLE_DEVICES'] = ''
    child = run_child(cmd, args.timeout, env)
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


def fmt(value, spec: str = '.1f') -> str:
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


def main(argv: Optional[List[str]] = None) -> Dict:
    """Run everything, print and write the report; return the results."""
    args = parse_args(argv)
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
    text = report(results)
    print(text)
    with open(osp.join(args.out, 'report.md'), 'w') as f:
        f.write(text)
    with open(osp.join(args.out, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    return results


if __name__ == '__main__':
    main()
