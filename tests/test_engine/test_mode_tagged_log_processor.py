"""MMAction2's analyze_logs.py reads the json log of our configs."""
import glob
import json
import os.path as osp
import runpy
import sys
import types

import mmaction
import pytest
from mmengine.runner import Runner

ANALYZE_LOGS = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools',
                        'analysis_tools', 'analyze_logs.py')


def analyze_logs(monkeypatch, *argv):
    """Run MMAction2's tool in-process; seaborn (its plot-style dependency,
    not one of ours) is replaced by a stub."""
    monkeypatch.setitem(sys.modules, 'seaborn',
                        types.SimpleNamespace(set_style=lambda style: None))
    monkeypatch.setattr(sys, 'argv', [ANALYZE_LOGS, *argv])
    runpy.run_path(ANALYZE_LOGS, run_name='__main__')


@pytest.fixture(scope='module')
def json_log(tiny_demo_cfg, tmp_path_factory):
    cfg = tiny_demo_cfg(tmp_path_factory.mktemp('logs'),
                        {'train_cfg.max_epochs': 2}, name='logs')
    Runner.from_cfg(cfg).train()
    (path, ) = glob.glob(osp.join(cfg.work_dir, '*', 'vis_data', '2*.json'))
    return path


def test_training_records_carry_the_mode(json_log):
    records = [json.loads(line) for line in open(json_log)]
    train = [r for r in records if 'loss' in r]
    assert len(train) == 6  # 2 epochs x 3 iterations, logged every one
    assert all(r['mode'] == 'train' for r in train)
    assert [r['iter'] for r in train] == [1, 2, 3, 1, 2, 3]  # in an epoch
    assert [r['step'] for r in train] == [1, 2, 3, 4, 5, 6]  # in the run


def test_analyze_logs_plots_and_times_the_run(json_log, tmp_path,
                                              monkeypatch, capsys):
    if not osp.exists(ANALYZE_LOGS):
        pytest.skip('the mmaction2 wheel ships no analyze_logs.py')
    out = tmp_path / 'loss.png'
    analyze_logs(monkeypatch, 'plot_curve', json_log, '--keys', 'loss',
                 '--backend', 'Agg', '--out', str(out))
    assert out.stat().st_size > 0
    analyze_logs(monkeypatch, 'cal_train_time', json_log)
    assert 'average iter time' in capsys.readouterr().out
