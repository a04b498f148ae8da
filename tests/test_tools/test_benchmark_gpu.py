"""tools/analysis/benchmark_gpu.py end to end on CPU with a tiny model."""
import importlib.util
import json
import os.path as osp

from tiny_demo import TINY_MODEL_CLI


def test_cpu_run_reports_steps_loader_projection_and_loop(repo_root,
                                                          tmp_path):
    spec = importlib.util.spec_from_file_location(
        'benchmark_gpu', osp.join(repo_root, 'tools', 'analysis',
                                  'benchmark_gpu.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path / 'out'
    results = tool.main([
        '--device', 'cpu', '--batch-sizes', '2', '--modes', 'fp32',
        '--iters', '1', '--warmup', '1', '--workers', '0', '1',
        '--loader-batches', '2', '--train-iters', '4', '--samples', '8',
        '--out', str(out), '--cfg-options', *TINY_MODEL_CLI])
    step = results['steps'][0]
    assert 'error' not in step, step
    assert step['samples_per_s'] > 0 and step['tflops'] > 0
    assert [r['workers'] for r in results['loader']] == [0, 1]
    assert all(r['samples_per_s'] > 0 for r in results['loader'])
    hours = results['projection_h']
    assert abs(hours['1'] - 800 * 40091 / step['samples_per_s'] / 3600) < 1e-6
    train = results['train']
    assert 'error' not in train, train.get('error')
    assert train['step_s'] > 0 and 'overhead' in train
    assert json.loads((out / 'results.json').read_text())['best']
    text = (out / 'report.md').read_text()
    assert '| fp32 | 2 |' in text and 'Projected 800-epoch' in text
