"""Tests for :mod:`mmskel2vec.compat`.

The fixes act on interpreter-wide state (``sys.modules``, monkey patches,
torch's safe globals), so every check runs in a fresh interpreter. Each fix
is checked twice: once with every *other* fix applied, to show the original
breakage (skipped if this environment does not have it), and once after
``apply_compat_fixes()``.

``compat.py`` is loaded from its file path rather than through
``mmskel2vec/__init__.py``, so these tests do not depend on the rest of the
package.
"""
from __future__ import annotations

import os.path as osp
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from repo_paths import REPO_ROOT

COMPAT_PATH = osp.join(REPO_ROOT, 'mmskel2vec', 'compat.py')

# Loads compat.py by path. ``apply_all_except(name)`` applies every fix but
# the named one, which is how the "without the fix" halves reproduce the
# original failure in isolation.
PREAMBLE = f'''
import importlib.util, sys, warnings
warnings.filterwarnings('ignore')
_spec = importlib.util.spec_from_file_location(
    '_mmskel2vec_compat_under_test', {COMPAT_PATH!r})
compat = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = compat
_spec.loader.exec_module(compat)
apply_compat_fixes = compat.apply_compat_fixes

FIXES = [compat.fix_numpy_inf_alias, compat.fix_mmengine_package_utils,
         compat.fix_torch_load_mmengine_checkpoints,
         compat.fix_mmaction_missing_drn]

def apply_all_except(name):
    assert name in [fix.__name__ for fix in FIXES], name
    for fix in FIXES:
        if fix.__name__ != name:
            fix()
'''

# A tiny mmengine Runner: BatchNorm (buffers), AdamW with gradient clipping,
# two param schedulers, CheckpointHook, and a metric returning numpy scalars.
TOY_RUNNER = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset
from mmengine.evaluator import BaseMetric
from mmengine.model import BaseModel
from mmengine.runner import Runner


class ToyModel(BaseModel):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)
        self.bn = nn.BatchNorm1d(1)

    def forward(self, inputs, labels=None, mode='tensor'):
        out = self.bn(self.fc(inputs)).squeeze(-1)
        if mode == 'loss':
            return dict(loss=((out - labels) ** 2).mean())
        return [dict(pred=p, gt=g) for p, g in zip(out, labels)]


class ToyMetric(BaseMetric):
    def process(self, data_batch, data_samples):
        for s in data_samples:
            self.results.append(float((s['pred'] - s['gt']).abs()))

    def compute_metrics(self, results):
        return dict(mae=np.float32(np.mean(results)))


class ToyDataset(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        return dict(inputs=torch.full((2,), float(i)),
                    labels=torch.tensor(float(i)))


def make_runner(work_dir, name, max_epochs=1, **kwargs):
    loader = dict(dataset=ToyDataset(),
                  sampler=dict(type='DefaultSampler', shuffle=False),
                  batch_size=4, num_workers=0,
                  collate_fn=dict(type='default_collate'))
    return Runner(
        model=ToyModel(), work_dir=work_dir, experiment_name=name,
        train_dataloader=loader, val_dataloader=loader,
        val_evaluator=[ToyMetric()], val_cfg=dict(),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        optim_wrapper=dict(
            optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05),
            clip_grad=dict(max_norm=1.0)),
        param_scheduler=[
            dict(type='LinearLR', start_factor=0.1, by_epoch=False,
                 begin=0, end=1),
            dict(type='CosineAnnealingLR', T_max=2, by_epoch=True,
                 begin=0, end=2)],
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=1),
            logger=dict(type='LoggerHook', interval=1)),
        log_level='WARNING', **kwargs)


def train_and_save(work_dir):
    """Train one epoch (two iterations) and return the checkpoint path."""
    runner = make_runner(work_dir, 'train')
    runner.train()
    return f'{work_dir}/epoch_1.pth'
'''


def run_python(cwd: Path, *parts: str, timeout: float = 120) -> str:
    """Run ``PREAMBLE`` plus ``parts`` in a fresh interpreter.

    Args:
        cwd: Working directory of the child process.
        *parts: Python source fragments, each dedented separately.
        timeout: Seconds before the child is killed.

    Returns:
        The child's stdout.
    """
    source = PREAMBLE + '\n'.join(textwrap.dedent(part) for part in parts)
    proc = subprocess.run([sys.executable, '-c', source],
                          cwd=str(cwd),
                          capture_output=True,
                          text=True,
                          timeout=timeout)
    assert proc.returncode == 0, (
        f'child failed ({proc.returncode})\n--- stdout\n{proc.stdout}'
        f'\n--- stderr\n{proc.stderr[-6000:]}')
    return proc.stdout


def result_of(stdout: str) -> str:
    """Return the value of the last ``RESULT:`` line of a child's stdout."""
    lines = [line for line in stdout.splitlines()
             if line.startswith('RESULT:')]
    assert lines, f'no RESULT line in child output:\n{stdout}'
    return lines[-1][len('RESULT:'):]


def skip_if_no_bug(stdout: str, reason: str) -> None:
    """Skip the calling test if the child reported the bug as absent."""
    if result_of(stdout) == 'NOBUG':
        pytest.skip(reason)


# ---------------------------------------------------------------------------
# 1. missing mmaction/models/localizers/drn
# ---------------------------------------------------------------------------
def test_drn_missing_breaks_mmaction_models_without_fix(tmp_path):
    out = run_python(
        tmp_path, '''
        apply_all_except('fix_mmaction_missing_drn')
        try:
            import mmaction.models
        except ModuleNotFoundError as e:
            assert 'mmaction.models.localizers.drn' in str(e), e
            print('RESULT:ModuleNotFoundError')
        else:
            print('RESULT:NOBUG')
        ''')
    skip_if_no_bug(out, 'the installed mmaction ships localizers/drn')
    assert result_of(out) == 'ModuleNotFoundError'


def test_drn_stub_makes_mmaction_models_importable(tmp_path):
    out = run_python(
        tmp_path, '''
        import sys
        apply_compat_fixes()
        import mmaction.models
        from mmengine.registry import init_default_scope
        from mmaction.registry import MODELS
        init_default_scope('mmaction')
        model = MODELS.build(dict(
            type='RecognizerGCN',
            backbone=dict(type='STGCN', graph_cfg=dict(
                layout='coco', mode='stgcn_spatial')),
            cls_head=dict(type='GCNHead', num_classes=3, in_channels=256)))
        assert type(model).__name__ == 'RecognizerGCN'
        drn = sys.modules['mmaction.models.localizers.drn.drn']
        if drn.__spec__.origin is None:  # the stub, not a real subpackage
            assert 'DRN' not in MODELS.module_dict
            try:
                drn.DRN()
            except ImportError as e:
                assert 'missing' in str(e) and 'drn' in str(e), e
            else:
                raise AssertionError('stub DRN must refuse construction')
        print('RESULT:OK')
        ''')
    assert result_of(out) == 'OK'


# ---------------------------------------------------------------------------
# 2. torch weights_only=True versus mmengine runner checkpoints
# ---------------------------------------------------------------------------
def test_runner_checkpoint_refused_without_fix(tmp_path):
    out = run_python(
        tmp_path, TOY_RUNNER, '''
        import pickle
        import torch
        from mmengine.runner import load_checkpoint
        apply_all_except('fix_torch_load_mmengine_checkpoints')
        ckpt = train_and_save('work')
        try:
            torch.load(ckpt)
        except pickle.UnpicklingError:
            pass
        else:
            print('RESULT:NOBUG')
            raise SystemExit(0)
        failures = []
        attempts = [
            lambda: make_runner('work', 'resume', resume=True,
                                load_from=ckpt).load_or_resume(),
            lambda: make_runner('work', 'load',
                                load_from=ckpt).load_or_resume(),
            lambda: load_checkpoint(ToyModel(), ckpt),
        ]
        for attempt in attempts:
            try:
                attempt()
            except pickle.UnpicklingError:
                failures.append('UnpicklingError')
            else:
                failures.append('loaded')
        print('RESULT:' + ','.join(failures))
        ''')
    skip_if_no_bug(out, 'torch.load does not default to weights_only=True')
    assert result_of(out) == ','.join(['UnpicklingError'] * 3)


def test_runner_checkpoint_resume_and_load_with_fix(tmp_path):
    out = run_python(
        tmp_path, TOY_RUNNER, '''
        import torch
        from mmengine.runner import load_checkpoint
        apply_compat_fixes()
        ckpt = train_and_save('work')
        # resume=True restores the full training state and keeps training.
        resumed = make_runner('work', 'resume', max_epochs=2, resume=True,
                              load_from=ckpt)
        resumed.load_or_resume()
        assert (resumed.epoch, resumed.iter) == (1, 2), (
            resumed.epoch, resumed.iter)
        resumed.train()
        assert (resumed.epoch, resumed.iter) == (2, 4)
        # load_from (weights only) and load_checkpoint of the same file.
        loaded = make_runner('work', 'load', load_from=ckpt)
        loaded.load_or_resume()
        model = ToyModel()
        state = load_checkpoint(model, ckpt)
        expected = torch.load(ckpt)['state_dict']['fc.weight']
        assert torch.equal(model.fc.weight.detach(), expected)
        assert torch.equal(loaded.model.fc.weight.detach(), expected)
        assert 'message_hub' in state and 'optimizer' in state
        print('RESULT:OK')
        ''')
    assert result_of(out) == 'OK'


PLAIN_NUMPY_META = """
import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
META = dict(
    empty_history=HistoryBuffer(),
    empty=np.zeros((0, 3), dtype=np.float32),
    strings=np.array(['a', 'bc']),
    raw=np.array([b'x']),
    dates=np.array(['2026-12-01'], dtype='datetime64[D]'),
    deltas=np.array([3], dtype='timedelta64[s]'),
    records=np.zeros(2, dtype=[('a', 'f4'), ('b', 'i8')]),
    half=np.ones(2, dtype=np.float16))

def try_load(path):
    torch.save(dict(state_dict=dict(), meta=META), path)
    try:
        loaded = torch.load(path)['meta']
    except Exception as err:  # UnpicklingError
        return type(err).__name__
    for key, value in META.items():
        if isinstance(value, np.ndarray):
            assert loaded[key].dtype == value.dtype, key
            assert (loaded[key] == value).all(), key
    return 'LOADED'
"""


def test_plain_numpy_meta_refused_without_fix(tmp_path):
    out = run_python(tmp_path, PLAIN_NUMPY_META, """
        apply_all_except('fix_torch_load_mmengine_checkpoints')
        print('RESULT:' + try_load('meta.pth'))
        """)
    if result_of(out) == 'LOADED':
        pytest.skip('torch.load does not default to weights_only=True')
    assert result_of(out) == 'UnpicklingError'


def test_plain_numpy_meta_loads_with_fix(tmp_path):
    out = run_python(tmp_path, PLAIN_NUMPY_META, """
        apply_compat_fixes()
        print('RESULT:' + try_load('meta.pth'))
        """)
    assert result_of(out) == 'LOADED'


def test_malicious_checkpoint_still_refused(tmp_path):
    marker = tmp_path / 'pwned'
    out = run_python(
        tmp_path, TOY_RUNNER, f'''
        import os
        import pickle
        import torch
        from mmengine.logging.history_buffer import HistoryBuffer
        from mmengine.runner import CheckpointLoader, load_checkpoint
        apply_compat_fixes()

        class Evil:
            def __reduce__(self):
                return (os.system, ('touch {marker}',))

        class EvilGetattr:
            # getattr is in checkpoints only for HistoryBuffer statistics.
            def __reduce__(self):
                return (getattr, (HistoryBuffer, '__init__'))

        results = []
        for name, payload in [('system', Evil()),
                              ('getattr', EvilGetattr())]:
            path = f'{{name}}.pth'
            torch.save(dict(state_dict=dict(), meta=dict(), evil=payload),
                       path)
            attempts = [
                lambda: load_checkpoint(ToyModel(), path),
                lambda: CheckpointLoader.load_checkpoint(path),
                lambda: make_runner('work', f'{{name}}-load',
                                    load_from=path).load_or_resume(),
                lambda: make_runner('work', f'{{name}}-resume', resume=True,
                                    load_from=path).load_or_resume(),
            ]
            for attempt in attempts:
                try:
                    attempt()
                except pickle.UnpicklingError:
                    results.append('refused')
                else:
                    results.append('LOADED')
        print('RESULT:' + ','.join(results))
        ''')
    assert result_of(out) == ','.join(['refused'] * 8)
    assert not marker.exists()


# ---------------------------------------------------------------------------
# 3. ``pkg::`` config bases versus setuptools without pkg_resources
# ---------------------------------------------------------------------------
CONFIG_TEXT = "_base_ = 'mmaction::_base_/default_runtime.py'\nfoo = 1\n"


def test_mmaction_config_base_fails_without_fix(tmp_path):
    (tmp_path / 'cfg.py').write_text(CONFIG_TEXT)
    out = run_python(
        tmp_path, '''
        import importlib.util
        apply_all_except('fix_mmengine_package_utils')
        if importlib.util.find_spec('pkg_resources') is not None:
            print('RESULT:NOBUG')
            raise SystemExit(0)
        from mmengine import Config
        try:
            Config.fromfile('cfg.py')
        except ModuleNotFoundError as e:
            assert 'pkg_resources' in str(e), e
            print('RESULT:ModuleNotFoundError')
        else:
            print('RESULT:loaded')
        ''')
    skip_if_no_bug(out, 'pkg_resources is importable')
    assert result_of(out) == 'ModuleNotFoundError'


def test_mmaction_config_base_loads_with_fix(tmp_path):
    (tmp_path / 'cfg.py').write_text(CONFIG_TEXT)
    out = run_python(
        tmp_path, '''
        import os.path as osp
        apply_compat_fixes()
        import mmaction
        import mmengine.utils
        from mmengine import Config
        cfg = Config.fromfile('cfg.py')
        assert cfg.foo == 1 and cfg.default_scope == 'mmaction'
        assert 'checkpoint' in cfg.default_hooks
        package_dir = osp.dirname(mmaction.__file__)
        assert mmengine.utils.is_installed('mmaction')
        assert not mmengine.utils.is_installed('surely_not_installed_pkg_x')
        for name in ('mmaction', 'mmaction2'):
            assert (osp.realpath(mmengine.utils.get_installed_path(name))
                    == osp.realpath(package_dir)), name
        print('RESULT:OK')
        ''')
    assert result_of(out) == 'OK'


# ---------------------------------------------------------------------------
# 4. numpy 2 removed np.Inf
# ---------------------------------------------------------------------------
POSE_COMPACT = '''
import numpy as np
from mmaction.datasets.transforms import PoseCompact
rng = np.random.default_rng(0)
keypoint = (rng.random((1, 6, 17, 2)) * 50 + 20).astype(np.float32)
results = dict(keypoint=keypoint, img_shape=(100, 100))
'''


def test_mmskel2vec_config_package_refused_without_fix(tmp_path):
    out = run_python(tmp_path, """
        for fix in FIXES:  # all but the one under test
            fix()
        from mmengine.config.utils import _get_package_and_cfg_path
        try:
            _get_package_and_cfg_path('mmskel2vec::skeleton2vec/x.py')
        except AssertionError:
            print('RESULT:REFUSED')
        else:
            print('RESULT:NOBUG')
        """)
    skip_if_no_bug(out, 'mmengine resolves any installed package')
    assert result_of(out) == 'REFUSED'


def test_mmskel2vec_config_package_resolves_with_fix(tmp_path):
    out = run_python(tmp_path, """
        apply_compat_fixes()
        from mmengine.config.utils import _get_package_and_cfg_path
        print('RESULT:' + '|'.join(
            _get_package_and_cfg_path('mmskel2vec::skeleton2vec/x.py')))
        assert not compat.fix_mmengine_config_package_list()  # idempotent
        """)
    assert result_of(out) == 'mmskel2vec|skeleton2vec/x.py'


def test_pose_compact_fails_without_np_inf_fix(tmp_path):
    out = run_python(
        tmp_path, '''
        import numpy as np
        apply_all_except('fix_numpy_inf_alias')
        if hasattr(np, 'Inf'):
            print('RESULT:NOBUG')
            raise SystemExit(0)
        ''', POSE_COMPACT, '''
        try:
            PoseCompact(hw_ratio=1.0, allow_imgpad=True)(results)
        except AttributeError as e:
            assert 'Inf' in str(e), e
            print('RESULT:AttributeError')
        else:
            print('RESULT:ran')
        ''')
    skip_if_no_bug(out, 'numpy still has np.Inf')
    assert result_of(out) == 'AttributeError'


def test_pose_compact_runs_with_np_inf_fix(tmp_path):
    out = run_python(
        tmp_path, '''
        apply_compat_fixes()
        ''', POSE_COMPACT, '''
        assert np.Inf == np.inf
        out = PoseCompact(hw_ratio=1.0, allow_imgpad=True)(results)
        h, w = out['img_shape']
        assert h == w and 0 < h < 100, out['img_shape']
        assert out['keypoint'].shape == keypoint.shape
        assert out['keypoint'].min() >= 0
        print('RESULT:OK')
        ''')
    assert result_of(out) == 'OK'


# ---------------------------------------------------------------------------
# Idempotency
# ---------------------------------------------------------------------------
def test_apply_compat_fixes_is_idempotent(tmp_path):
    out = run_python(
        tmp_path, '''
        import sys
        import numpy as np
        import torch
        apply_compat_fixes()
        import mmaction.models
        import mmengine.utils
        drn = sys.modules['mmaction.models.localizers.drn']
        is_installed = mmengine.utils.is_installed
        safe_globals = set(map(repr, torch.serialization.get_safe_globals()))
        for _ in range(2):
            apply_compat_fixes()
            assert not any(fix() for fix in FIXES)
        assert sys.modules['mmaction.models.localizers.drn'] is drn
        assert mmengine.utils.is_installed is is_installed
        assert np.Inf == np.inf
        assert set(map(repr, torch.serialization.get_safe_globals())) \\
            == safe_globals
        print('RESULT:OK')
        ''')
    assert result_of(out) == 'OK'


def test_mmcv_lite_ops_warning_shows_without_the_filter():
    """With every other fix but not the filter, importing MMAction2's models
    prints mmcv-lite's warning about its missing compiled ops."""
    code = textwrap.dedent(f'''
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location(
            '_mmskel2vec_compat_under_test', {COMPAT_PATH!r})
        compat = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = compat
        spec.loader.exec_module(compat)
        for fix in (compat.fix_numpy_inf_alias,
                    compat.fix_mmengine_package_utils,
                    compat.fix_mmengine_config_package_list,
                    compat.fix_torch_load_mmengine_checkpoints,
                    compat.fix_mmaction_missing_drn):
            fix()
        import mmaction.models, mmcv.cnn.bricks.transformer
        ''')
    proc = subprocess.run([sys.executable, '-W', 'default', '-c', code],
                          capture_output=True, text=True, timeout=120,
                          cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr
    if 'MultiScaleDeformableAttention' not in proc.stderr:
        pytest.skip('the installed mmcv imports its compiled ops')


def test_mmcv_lite_ops_warning_is_silenced():
    """Importing the package and mmaction's models prints no mmcv-lite
    warning about compiled ops the skeleton path never uses."""
    code = 'import mmskel2vec, mmaction.models, mmcv.cnn.bricks.transformer'
    proc = subprocess.run([sys.executable, '-W', 'default', '-c', code],
                          capture_output=True, text=True, timeout=120,
                          cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr
    assert 'MultiScaleDeformableAttention' not in proc.stderr
