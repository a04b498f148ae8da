"""The wheel carries the configs: ``mmskel2vec::`` bases from any folder.

Builds the wheel from a copy of the checkout (no build isolation, no
network), installs it without dependencies into a folder that goes first on
``PYTHONPATH`` (so the checkout's editable install is not what runs), and in
an empty project folder trains a user config whose only base is
``mmskel2vec::skeleton2vec/<demo config>`` for a few iterations, through the
wheel's ``tools/train.py`` and through MMAction2's own (which, on mmengine
0.10.7, needs ``mmskel2vec`` imported before it reads the config: mmengine
resolves ``pkg::`` only for a fixed list of packages until ``mmskel2vec``
adds itself; see ``compat.fix_mmengine_config_package_list``). Installing
the wheel into the environment with the pinned requirements would add
nothing else.
"""
import glob
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

DEMO = 'skeleton2vec/skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py'
USER_CONFIG = f'''_base_ = ['mmskel2vec::{DEMO}']
model = dict(backbone=dict(depth=1, embed_dims=32, num_heads=2),
             head=dict(in_channels=32, embed_dims=32, depth=1, num_heads=2),
             target_generator=dict(top_k=1))
train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                        dataset=dict(num_samples=8))
train_cfg = dict(max_epochs=1)
custom_hooks = [{{{{_base_.ema_hook}}}}]
default_hooks = dict(logger=dict(interval=1))
'''
# MMAction2's tools/train.py with mmskel2vec imported first (README)
PRELOAD = ('import runpy, sys; import mmskel2vec; sys.argv = sys.argv[1:]; '
           "runpy.run_path(sys.argv[0], run_name='__main__')")
SKIP = ('.git', '.venv', 'work_dirs', 'data', 'build', '__pycache__',
        '*.egg-info', '.pytest_cache')


def run(cmd, cwd, env=None, timeout=300):
    proc = subprocess.run(cmd, cwd=str(cwd), env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, (f'{cmd}\n{proc.stdout[-3000:]}\n'
                                  f'{proc.stderr[-3000:]}')
    return proc.stdout + proc.stderr


@pytest.fixture(scope='module')
def installed(repo_root, tmp_path_factory):
    """``(site, wheel)``: the wheel, installed into ``site``."""
    root = tmp_path_factory.mktemp('wheel')
    src = root / 'src'
    shutil.copytree(repo_root, src, symlinks=True,
                    ignore=shutil.ignore_patterns(*SKIP))
    run([sys.executable, '-m', 'pip', 'wheel', '--no-deps',
         '--no-build-isolation', '-q', '.', '-w', str(root / 'dist')], src)
    wheel = glob.glob(str(root / 'dist' / 'mmskel2vec-*.whl'))[0]
    site = root / 'site'
    run([sys.executable, '-m', 'pip', 'install', '--no-deps', '-q',
         '--target', str(site), wheel], root)
    return site, wheel


def project_env(site):
    env = dict(os.environ, PYTHONPATH=str(site), OMP_NUM_THREADS='1')
    env.pop('PYTHONSAFEPATH', None)
    return env


def test_wheel_holds_configs_and_tools(installed):
    site, _ = installed
    mim = site / 'mmskel2vec' / '.mim'
    assert (mim / 'configs' / DEMO).is_file()
    assert (mim / 'configs' / '_base_' / 'default_runtime.py').is_file()
    assert (mim / 'tools' / 'train.py').is_file()
    assert not (mim / 'configs').is_symlink()


def test_installing_the_wheel_pulls_nothing_more(installed, tmp_path):
    """With its dependencies resolved (no index: only what is installed),
    pip would install the wheel and nothing else."""
    _, wheel = installed
    report = tmp_path / 'report.json'
    run([sys.executable, '-m', 'pip', 'install', '--dry-run', '-q',
         '--no-index', '--report', str(report), wheel], tmp_path)
    names = [item['metadata']['name'] for item in
             json.loads(report.read_text())['install']]
    assert names == ['mmskel2vec']


@pytest.mark.parametrize('tool', ['ours', 'mmaction'])
def test_user_project_trains_from_mmskel2vec_base(installed, tmp_path, tool):
    site, _ = installed
    env = project_env(site)
    where = run([sys.executable, '-c',
                 'import mmskel2vec; print(mmskel2vec.__file__)'],
                tmp_path, env).strip().splitlines()[-1]
    assert where.startswith(str(site)), where
    (tmp_path / 'my_config.py').write_text(USER_CONFIG)
    args = ['my_config.py', '--work-dir', 'work']
    if tool == 'ours':
        train = site / 'mmskel2vec' / '.mim' / 'tools' / 'train.py'
        cmd = [sys.executable, str(train), *args]
    else:
        import mmaction
        train = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools',
                         'train.py')
        cmd = [sys.executable, '-c', PRELOAD, str(train), *args]
    log = run(cmd, tmp_path, env)
    assert 'Epoch(train) [1][2/2]' in log
    assert (tmp_path / 'work' / 'epoch_1.pth').is_file()
