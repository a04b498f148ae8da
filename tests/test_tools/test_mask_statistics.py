"""tools/analysis/mask_statistics.py: per-joint visibility under a mask."""
import csv
import os.path as osp
import runpy
import subprocess
import sys

import numpy as np

from repo_paths import REPO_ROOT as REPO

TOOL = osp.join(REPO, 'tools', 'analysis', 'mask_statistics.py')
CONFIGS = osp.join(REPO, 'configs', 'skeleton2vec')
DEMO = osp.join(CONFIGS,
                'skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py')
LINEAR = osp.join(CONFIGS, 'benchmarks', 'skeleton2vec-linear_stt-4x128_'
                  '1xb32-30e_synthetic-keypoint-3d.py')


def run(config, *args):
    return subprocess.run(
        [sys.executable, TOOL, config, *args, '--cfg-options',
         'train_dataloader.dataset.num_samples=8'],
        capture_output=True, text=True, timeout=120)


def test_joint_visibility_counts_unmasked_tokens():
    visibility = runpy.run_path(TOOL)['joint_visibility']
    masks = np.zeros((2, 1, 1, 2, 3), dtype=bool)  # 2 samples, 2 tokens
    masks[0, ..., 0] = True  # joint 0 masked in all tokens of sample 0
    masks[1, 0, 0, 0, 2] = True  # joint 2 masked in one token
    np.testing.assert_allclose(visibility(masks), [0.5, 1.0, 0.75])


def test_reports_every_joint_around_the_uniform_rate(tmp_path):
    out = tmp_path / 'visibility.csv'
    proc = run(DEMO, '--epochs', '2', '--out', str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    # 25 joints, round(25 * 0.9) = 22 masked in every token row
    assert '16 masks (2 epoch(s)); uniform visible rate 0.120' in proc.stdout
    rows = list(csv.DictReader(open(out)))
    assert sorted(int(r['joint']) for r in rows) == list(range(25))
    visible = np.array([float(r['visible']) for r in rows])
    assert abs(visible.mean() - 3 / 25) < 1e-4
    assert list(visible) == sorted(visible, reverse=True)


def test_config_without_mask_is_explained():
    proc = run(LINEAR)
    assert proc.returncode != 0
    assert 'draws no mask' in proc.stderr
