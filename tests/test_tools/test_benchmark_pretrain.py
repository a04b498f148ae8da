"""Smoke test of tools/analysis/benchmark_pretrain.py (no timing checks)."""
import glob
import json
import os.path as osp
import subprocess
import sys

import torch

from repo_paths import REPO_ROOT as REPO

TOOL = osp.join(REPO, 'tools', 'analysis', 'benchmark_pretrain.py')

EXPECTED_KEYS = {
    'config', 'device', 'device_name', 'threads', 'batch_size', 'amp_dtype',
    'compile', 'num_views', 'persons_present', 'shape', 'step_s',
    'samples_per_s', 'cpu_s_per_step', 'phases_s', 'flops_per_step',
    'flops_per_sample', 'attention_flop_share', 'gflops_per_s',
    'matmul_gflops_per_s', 'fraction_of_matmul_peak', 'rss_peak_mb',
    'rss_baseline_mb', 'rss_increase_mb', 'gpu_max_allocated_mb',
    'minor_faults_per_step', 'losses', 'pipeline'
}
PHASES = {'preprocess', 'targets', 'student_fwd', 'decoder_loss_fwd',
          'backward', 'optimizer', 'ema'}


def demo_config():
    configs = sorted(glob.glob(osp.join(
        REPO, 'configs', 'skeleton2vec',
        'skeleton2vec_stt-4x128_*synthetic-keypoint-3d.py')))
    assert configs, 'demo config not found'
    return configs[0]


def run_tool(*args):
    cmd = [sys.executable, TOOL, demo_config(), '--batch-size', '2',
           '--iters', '2', '--warmup', '1', '--threads', '1',
           '--matmul-size', '256', '--pipeline-samples', '2', *args]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()


def test_json_line_has_expected_keys():
    lines = run_tool('--persons-present', 'mixed')
    result = json.loads(lines[-1])
    assert EXPECTED_KEYS <= set(result)
    assert set(result['phases_s']) == PHASES
    assert set(result['step_s']) == {'median', 'min', 'max'}
    assert result['batch_size'] == 2 and result['persons_present'] == 'mixed'
    assert result['shape']['num_joints'] == 25
    assert result['shape']['clip_len'] % 4 == 0
    assert len(result['losses']) == 1 + 2  # FLOP-counting step + timed
    assert all(loss == loss for loss in result['losses'])  # finite, not NaN
    assert result['flops_per_step'] > 0
    assert {'fp32', 'bf16'} <= set(result['matmul_gflops_per_s'])
    assert set(result['matmul_emulated']) <= {'bf16'}
    assert {'pipeline_ms_per_sample', 'masking_ms_per_sample'} <= set(
        result['pipeline'])
    # the human-readable table comes before the JSON line
    assert any(line.startswith('| s/step') for line in lines[:-1])


def test_bf16_autocast_and_views():
    from mmskel2vec.utils.matmul_rate import dtype_is_emulated
    if dtype_is_emulated(torch.bfloat16):
        cmd = [sys.executable, TOOL, demo_config(), '--batch-size', '2',
               '--iters', '1', '--amp-dtype', 'bf16', '--no-matmul']
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode != 0
        assert 'this CPU has no native bf16' in proc.stderr
        return
    result = json.loads(
        run_tool('--amp-dtype', 'bf16', '--num-views', '2', '--no-flops',
                 '--no-matmul', '--quiet')[-1])
    assert result['amp_dtype'] == 'bf16' and result['num_views'] == 2
    assert result['flops_per_step'] is None
    assert len(result['losses']) == 1 + 2


def test_accumulate_splits_each_step_into_train_steps():
    result = json.loads(run_tool('--accumulate', '2', '--no-flops',
                                 '--no-matmul', '--quiet')[-1])
    assert result['accumulate'] == 2 and result['batch_size'] == 2
    # 1 warm-up + 2 timed steps, each two train steps of one sample
    assert len(result['losses']) == 2 * 3
    proc = subprocess.run(
        [sys.executable, TOOL, demo_config(), '--batch-size', '3',
         '--accumulate', '2', '--iters', '1', '--no-matmul'],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and 'must divide' in proc.stderr
