import os.path as osp
import subprocess
import sys

from repo_paths import DEMO_CONFIG as DEMO
from repo_paths import REPO_ROOT as REPO


def test_draws_png(tmp_path):
    out = tmp_path / 'mask.png'
    proc = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools', 'analysis', 'visualize_mask.py'), DEMO,
        '--index', '3', '--out',
        str(out), '--cfg-options', 'train_dataloader.dataset.num_samples=8'
    ], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'Saved the mask of train_synth_c03_00003' in proc.stdout
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert out.stat().st_size > 10_000


def test_index_out_of_range_is_explained(tmp_path):
    proc = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools', 'analysis', 'visualize_mask.py'), DEMO,
        '--index', '99', '--out',
        str(tmp_path / 'x.png'), '--cfg-options',
        'train_dataloader.dataset.num_samples=8'
    ], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert 'outside the dataset of 8 samples' in proc.stderr
