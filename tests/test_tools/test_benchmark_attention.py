"""tools/analysis/benchmark_attention.py: values checked, timings not."""
import json
import os.path as osp
import subprocess
import sys

import torch
import torch.nn.functional as F

from repo_paths import REPO_ROOT as REPO

TOOL = osp.join(REPO, 'tools', 'analysis', 'benchmark_attention.py')
sys.path.insert(0, osp.join(REPO, 'tools', 'analysis'))

from benchmark_attention import matmul_attention  # noqa: E402


def test_matmul_attention_equals_sdpa():
    qkv = torch.randn(2, 9, 3, 2, 4)
    q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
    expected = F.scaled_dot_product_attention(q, k, v).transpose(
        1, 2).reshape(2, 9, 8)
    torch.testing.assert_close(matmul_attention(qkv), expected)


def test_tool_reports_every_implementation_with_its_error():
    cmd = [sys.executable, TOOL, '--sequences', '2', '--tokens', '30',
           '--heads', '2', '--repeats', '1', '--threads', '1', '--no-flex']
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    rows = {row['name']: row for row in result['rows']}
    assert set(rows) == {'flash', 'matmul'}
    for row in rows.values():
        # bf16 outputs of values of order 1
        assert 0 <= row['max_abs_error'] < 0.05
        assert row['forward_ms'] > 0 and row['forward_backward_ms'] > 0
