"""tools/misc/export_backbone.py: plain backbone state dicts, loud failures."""
import os.path as osp
import runpy
import sys

import pytest
import torch

from mmaction.registry import MODELS

from repo_paths import REPO_ROOT as REPO

TOOL = osp.join(REPO, 'tools', 'misc', 'export_backbone.py')
export = runpy.run_path(TOOL)  # the functions, without running main
STGCN = dict(type='STGCN', graph_cfg=dict(layout='nturgb+d',
                                          mode='stgcn_spatial'),
             base_channels=8, num_stages=3, inflate_stages=[3],
             down_stages=[3])


def save_pretraining(path, backbone):
    model = MODELS.build(backbone)
    state = {f'backbone.{k}': v for k, v in model.state_dict().items()}
    state.update({f'teacher.{k}': v.float() * 0 + 7 if v.is_floating_point()
                  else v for k, v in model.state_dict().items()})
    torch.save(dict(state_dict=state, meta=dict(epoch=1)), path)
    return model


def run_main(monkeypatch, *args):
    monkeypatch.setattr(sys, 'argv', [TOOL, *map(str, args)])
    runpy.run_path(TOOL, run_name='__main__')


def test_student_and_teacher_of_a_transformer(tmp_path, monkeypatch, capsys):
    ckpt = tmp_path / 'epoch_1.pth'
    model = save_pretraining(ckpt, dict(
        type='SkeletonTransformer', clip_len=8, embed_dims=8, depth=1,
        num_heads=2))
    run_main(monkeypatch, ckpt, tmp_path / 'student.pth')
    assert 'Exported the student encoder' in capsys.readouterr().out
    out = torch.load(tmp_path / 'student.pth')
    assert set(out['state_dict']) == {f'backbone.{k}'
                                      for k in model.state_dict()}
    assert out['meta']['source'] == 'student'
    run_main(monkeypatch, ckpt, tmp_path / 'teacher.pth', '--source',
             'teacher', '--bare')
    bare = torch.load(tmp_path / 'teacher.pth')['state_dict']
    assert set(bare) == set(model.state_dict())
    assert torch.all(bare['norm.weight'] == 7)
    assert not list(tmp_path.glob('*.tmp'))


def test_gcn_wrapper_is_unwrapped_onto_plain_stgcn(tmp_path):
    ckpt = tmp_path / 'gcn.pth'
    wrapper = save_pretraining(ckpt, dict(type='MaskedGCNEncoder',
                                          encoder=STGCN))
    info = export['export_backbone'](str(ckpt), str(tmp_path / 'stgcn.pth'))
    assert info['unwrapped']
    plain = MODELS.build(dict(STGCN, init_cfg=dict(
        type='Pretrained', strict=True, checkpoint=str(tmp_path / 'stgcn.pth'),
        prefix='backbone.')))
    plain.init_weights()  # strict: would raise on any missing key
    for key, value in wrapper.encoder.state_dict().items():
        assert torch.equal(plain.state_dict()[key], value), key


def test_missing_source_fails_naming_the_prefixes(tmp_path, monkeypatch):
    ckpt = tmp_path / 'other.pth'
    torch.save(dict(state_dict={'model.w': torch.zeros(1)}), ckpt)
    with pytest.raises(SystemExit, match=r"'backbone\.'.*model\."):
        run_main(monkeypatch, ckpt, tmp_path / 'x.pth')
    assert not (tmp_path / 'x.pth').exists()


def test_joint_order_moves_the_joint_embeddings(tmp_path, monkeypatch):
    """An N-UCLA encoder exported for MSR Action3D's joint order encodes
    MSR-ordered skeletons as the original encodes N-UCLA-ordered ones."""
    from mmskel2vec.datasets.layouts import joint_permutation
    ckpt = tmp_path / 'nucla.pth'
    cfg = dict(type='SkeletonTransformer', num_joints=20, clip_len=8,
               t_patch=4, embed_dims=8, depth=1, num_heads=2)
    model = save_pretraining(ckpt, cfg).eval()
    run_main(monkeypatch, ckpt, tmp_path / 'msr.pth', '--joint-order',
             'nucla', 'msr_action3d')
    out = torch.load(tmp_path / 'msr.pth')
    assert out['meta']['joint_order'] == ['nucla', 'msr_action3d']
    moved = MODELS.build(dict(cfg, init_cfg=dict(
        type='Pretrained', strict=True, checkpoint=str(tmp_path / 'msr.pth'),
        prefix='backbone.')))
    moved.init_weights()
    moved.eval()
    order = joint_permutation('nucla', 'msr_action3d')
    skeletons = torch.randn(2, 1, 8, 20, 3)
    with torch.no_grad():
        expected = model(skeletons)[..., order]
        got = moved(skeletons[..., order, :])
    torch.testing.assert_close(got, expected)
    assert not torch.equal(moved.pos_embed.spatial, model.pos_embed.spatial)


def test_joint_order_refuses_a_gcn(tmp_path):
    ckpt = tmp_path / 'gcn.pth'
    save_pretraining(ckpt, dict(type='MaskedGCNEncoder', encoder=STGCN))
    with pytest.raises(KeyError, match='SkeletonTransformer'):
        export['export_backbone'](str(ckpt), str(tmp_path / 'x.pth'),
                                  joint_order=('nucla', 'msr_action3d'))
