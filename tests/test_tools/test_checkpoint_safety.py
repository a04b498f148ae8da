"""Every checkpoint load path refuses a malicious pickle and loads ours.

The malicious checkpoint runs ``os.system`` through ``__reduce__`` when it
is unpickled. It must be refused (``UnpicklingError`` from torch's
weights-only unpickler) by resume, ``load_from``, ``init_cfg`` Pretrained,
``tools/misc/export_backbone.py`` and ``http://`` checkpoints (with the
tools' ``compat.apply_tool_fixes``), and the
command must never run. Our full runner checkpoints, our exported encoders
and MMAction2 model-zoo style ``{'state_dict', 'meta'}`` files load.
"""
import functools
import http.server
import importlib.util
import os
import os.path as osp
import pickle
import threading

import mmengine.runner.checkpoint as mm_checkpoint
import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from mmaction.registry import MODELS

from mmskel2vec import compat
from repo_paths import REPO_ROOT as REPO

EXPORT_TOOL = osp.join(REPO, 'tools', 'misc', 'export_backbone.py')
BACKBONE = dict(
    type='SkeletonTransformer', in_channels=3, num_joints=25, clip_len=64,
    t_patch=4, embed_dims=16, depth=1, num_heads=2)


class Exploit:
    """Runs a shell command when unpickled."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


@pytest.fixture(scope='session')
def build_runner(tiny_runner):
    """``build_runner(work_dir, **options)``: a tiny demo runner (8 clips,
    2 iterations) with config keys set by ``options``."""
    return lambda work_dir, **options: tiny_runner(
        work_dir, {'train_dataloader.dataset.num_samples': 8, **options},
        name='safety')


def prepare_for_resume(runner):
    runner._train_loop = runner.build_train_loop(runner._train_loop)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    runner.param_schedulers = runner.build_param_scheduler(
        runner.param_schedulers)


def load_export_tool():
    spec = importlib.util.spec_from_file_location('export_backbone',
                                                  EXPORT_TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def checkpoints(tmp_path_factory, build_runner):
    root = tmp_path_factory.mktemp('ckpts')
    runner = build_runner(root / 'run')
    runner.train()
    ours = str(root / 'run' / 'epoch_1.pth')
    state_dict = torch.load(ours, map_location='cpu')['state_dict']
    marker = root / 'pwned'
    evil = str(root / 'evil.pth')
    torch.save(dict(state_dict=state_dict, meta=dict(epoch=1, iter=2),
                    payload=Exploit(marker)), evil)
    zoo = str(root / 'mmaction2_zoo.pth')
    torch.save(
        dict(
            state_dict=state_dict,
            meta=dict(
                mmaction_version='1.2.0', epoch=80, iter=1000, seed=0,
                config="model = dict(type='Skeleton2Vec')",
                dataset_meta=dict(classes=('a', 'b')))), zoo)
    return dict(root=root, ours=ours, evil=evil, zoo=zoo, marker=marker)


def refused(call, marker):
    with pytest.raises(pickle.UnpicklingError, match='Weights only load'):
        call()
    assert not marker.exists()


def test_resume_refuses_malicious(checkpoints, tmp_path, build_runner):
    runner = build_runner(tmp_path, load_from=checkpoints['evil'],
                          resume=True)
    prepare_for_resume(runner)
    refused(runner.load_or_resume, checkpoints['marker'])


def test_load_from_refuses_malicious(checkpoints, tmp_path, build_runner):
    runner = build_runner(tmp_path, load_from=checkpoints['evil'])
    refused(runner.load_or_resume, checkpoints['marker'])


def test_pretrained_init_refuses_malicious(checkpoints):
    backbone = MODELS.build(
        dict(BACKBONE, init_cfg=dict(type='Pretrained', strict=True,
                                     checkpoint=checkpoints['evil'],
                                     prefix='backbone.')))
    refused(backbone.init_weights, checkpoints['marker'])


def test_export_tool_refuses_malicious(checkpoints, tmp_path):
    tool = load_export_tool()
    out = tmp_path / 'backbone.pth'
    refused(lambda: tool.export_backbone(checkpoints['evil'], str(out)),
            checkpoints['marker'])
    assert not out.exists()


@pytest.fixture
def http_root(tmp_path, monkeypatch):
    """Serve ``tmp_path/www`` on localhost; downloads go to tmp.

    The tools' URL fix (``compat.apply_tool_fixes``) is applied for the
    test and undone after it.
    """
    monkeypatch.setattr(mm_checkpoint, 'load_url', mm_checkpoint.load_url)
    compat.fix_mmengine_load_url_weights_only()
    www = tmp_path / 'www'
    www.mkdir()
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))

    class Quiet(http.server.SimpleHTTPRequestHandler):

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ('127.0.0.1', 0), functools.partial(Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield www, f'http://127.0.0.1:{server.server_address[1]}'
    server.shutdown()
    server.server_close()


def test_http_checkpoint_refuses_malicious(checkpoints, http_root):
    www, url = http_root
    (www / 'evil.pth').write_bytes(open(checkpoints['evil'], 'rb').read())
    refused(lambda: CheckpointLoader.load_checkpoint(f'{url}/evil.pth', map_location='cpu'),
            checkpoints['marker'])


def test_http_checkpoint_loads_ours(checkpoints, http_root):
    www, url = http_root
    (www / 'ours.pth').write_bytes(open(checkpoints['ours'], 'rb').read())
    ckpt = CheckpointLoader.load_checkpoint(f'{url}/ours.pth', map_location='cpu')
    assert 'message_hub' in ckpt and 'optimizer' in ckpt


@pytest.mark.parametrize('name', ['ours', 'zoo'])
def test_load_from_loads_ours_and_model_zoo(
        checkpoints, tmp_path, name, build_runner):
    runner = build_runner(tmp_path, load_from=checkpoints[name])
    runner.load_or_resume()
    saved = torch.load(checkpoints[name], map_location='cpu')['state_dict']
    for key, value in runner.model.state_dict().items():
        assert torch.equal(value, saved[key]), key


def test_resume_loads_ours(checkpoints, tmp_path, build_runner):
    runner = build_runner(tmp_path, load_from=checkpoints['ours'],
                          resume=True)
    prepare_for_resume(runner)
    runner.load_or_resume()
    assert runner.iter == 2 and runner.epoch == 1


@pytest.mark.parametrize('name', ['ours', 'zoo', 'exported'])
def test_pretrained_init_loads(checkpoints, tmp_path, name):
    if name == 'exported':
        path = str(tmp_path / 'backbone.pth')
        load_export_tool().export_backbone(checkpoints['ours'], path,
                                           source='teacher')
    else:
        path = checkpoints[name]
    backbone = MODELS.build(
        dict(BACKBONE, init_cfg=dict(type='Pretrained', strict=True,
                                     checkpoint=path, prefix='backbone.')))
    backbone.init_weights()
    prefix = 'teacher.' if name == 'exported' else 'backbone.'
    source = torch.load(checkpoints['ours'], map_location='cpu')['state_dict']
    for key, value in backbone.state_dict().items():
        assert torch.equal(value, source[prefix + key]), key


def test_export_tool_exports_ours(checkpoints, tmp_path):
    out = tmp_path / 'backbone.pth'
    info = load_export_tool().export_backbone(checkpoints['ours'], str(out))
    assert info['num_keys'] > 0
    exported = torch.load(out, map_location='cpu')  # weights-only
    assert set(exported) == {'state_dict', 'meta'}
