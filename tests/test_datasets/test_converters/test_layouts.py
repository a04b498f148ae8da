"""Joint layouts, their Graph dict form and PreNormalize3DLayout."""
import numpy as np
import pytest
import torch

from mmengine.config import Config

from mmskel2vec.datasets.layouts import (GRAPH_LAYOUT_NAMES, LAYOUTS,
                                         get_layout, graph_layout_dict,
                                         joint_permutation)
from mmskel2vec.datasets.transforms.normalize import (PreNormalize3DLayout,
                                                      rotation_onto)

NEW_LAYOUTS = ('nucla', 'utd_mhad', 'msr_action3d')


@pytest.mark.parametrize('name', sorted(LAYOUTS))
def test_layout_is_a_tree(name):
    layout = get_layout(name)
    n = layout.num_node
    assert len(set(layout.joint_names)) == n
    assert len(layout.inward) == n - 1
    # every joint reaches the centre by following inward edges
    parent = dict(layout.inward)
    assert layout.center not in parent
    for joint in range(n):
        seen = set()
        while joint != layout.center:
            assert joint not in seen
            seen.add(joint)
            joint = parent[joint]
    names = layout.joint_names
    assert 'spine' in names[layout.norm_center]
    assert 'shoulder' in names[layout.center] or names[layout.center] in (
        'shoulder_center', 'spine_shoulder')
    assert names[layout.xaxis[0]] == 'right_shoulder'
    assert names[layout.xaxis[1]] == 'left_shoulder'


def test_joint_orders_follow_sources():
    nucla, utd, msr = (get_layout(n) for n in NEW_LAYOUTS)
    assert nucla.joint_names[:4] == ('hip_center', 'spine',
                                     'shoulder_center', 'head')
    assert nucla.zaxis == (0, 1) and nucla.xaxis == (8, 4)
    assert nucla.norm_center == 1
    assert utd.joint_names[:4] == ('head', 'shoulder_center', 'spine',
                                   'hip_center')
    assert (utd.zaxis, utd.xaxis, utd.norm_center) == ((3, 2), (8, 4), 2)
    assert msr.joint_names[19] == 'head' and msr.joint_names[6] == \
        'hip_center'
    assert (msr.zaxis, msr.xaxis, msr.norm_center) == ((6, 3), (1, 0), 3)
    # MSR's bone list (1-based) from its body model, as undirected pairs
    msr_bones = {(7, 4), (4, 3), (3, 20), (3, 1), (3, 2), (1, 8), (2, 9),
                 (8, 10), (9, 11), (10, 12), (11, 13), (7, 5), (7, 6),
                 (5, 14), (6, 15), (14, 16), (15, 17), (16, 18), (17, 19)}
    assert {frozenset((a + 1, b + 1)) for a, b in msr.inward} == {
        frozenset(p) for p in msr_bones}


def test_graph_takes_the_dict_form():
    from mmaction.models.utils.graph import Graph
    for name in GRAPH_LAYOUT_NAMES:
        for mode in ('spatial', 'stgcn_spatial'):
            graph = Graph(layout=graph_layout_dict(name), mode=mode)
            assert graph.num_node == 20 and graph.A.shape[-1] == 20
            assert graph.center == get_layout(name).center
    # the built-in layout matches our description of it
    ntu = Graph(layout='nturgb+d')
    assert sorted(ntu.inward) == sorted(LAYOUTS['nturgb+d'].inward)
    assert ntu.center == LAYOUTS['nturgb+d'].center
    # MMAction2's Graph is not taught our names
    with pytest.raises(AssertionError):
        Graph(layout='nucla')


@pytest.mark.parametrize('name,base', [
    ('nucla', 'nucla_xview_3d'), ('utd_mhad', 'utd_mhad_xsub_3d'),
    ('msr_action3d', 'msr_action3d_xsub_3d')])
def test_dataset_bases_hold_the_graph_layout(repo_root, name, base):
    cfg = Config.fromfile(f'{repo_root}/configs/_base_/datasets/{base}.py')
    assert cfg.layout == name
    expected = graph_layout_dict(name)
    assert cfg.graph_layout['num_node'] == expected['num_node']
    assert cfg.graph_layout['center'] == expected['center']
    assert [tuple(e) for e in cfg.graph_layout['inward']] == \
        expected['inward']


@pytest.mark.parametrize('name', NEW_LAYOUTS)
def test_stgcn_builds_with_layout(name):
    from mmaction.registry import MODELS
    model = MODELS.build(
        dict(type='STGCN',
             graph_cfg=dict(layout=graph_layout_dict(name),
                            mode='stgcn_spatial'),
             base_channels=8, num_stages=2, inflate_stages=[], down_stages=[]))
    out = model(torch.randn(2, 1, 8, 20, 3))
    assert out.shape[-1] == 20 and out.shape[0] == 2


def test_rotation_onto():
    rng = np.random.default_rng(0)
    for _ in range(20):
        v, t = rng.standard_normal(3), rng.standard_normal(3)
        rot = rotation_onto(v, t)
        np.testing.assert_allclose(rot @ rot.T, np.eye(3), atol=1e-12)
        assert np.isclose(np.linalg.det(rot), 1.0)
        res = rot @ v
        np.testing.assert_allclose(res / np.linalg.norm(res),
                                   t / np.linalg.norm(t), atol=1e-10)
    np.testing.assert_allclose(rotation_onto([0, 0, -2], [0, 0, 1]) @
                               [0, 0, -2], [0, 0, 2], atol=1e-12)
    assert np.array_equal(rotation_onto([0, 0, 0], [1, 0, 0]), np.eye(3))


def synthetic_body(name, rng, num_frames=6):
    """An upright body (spine along +y, shoulders along x) in camera space,
    randomly rotated and shifted; two trailing all-zero frames."""
    layout = get_layout(name)
    pos = {
        'hip_center': (0, 0, 0), 'spine': (0, 0.25, 0),
        'shoulder_center': (0, 0.5, 0), 'head': (0, 0.7, 0),
        'left_shoulder': (0.2, 0.5, 0), 'right_shoulder': (-0.2, 0.5, 0),
        'left_elbow': (0.3, 0.3, 0), 'right_elbow': (-0.3, 0.3, 0),
        'left_wrist': (0.3, 0.1, 0), 'right_wrist': (-0.3, 0.1, 0),
        'left_hand': (0.3, 0.05, 0), 'right_hand': (-0.3, 0.05, 0),
        'left_hip': (0.1, 0, 0), 'right_hip': (-0.1, 0, 0),
        'left_knee': (0.1, -0.45, 0), 'right_knee': (-0.1, -0.45, 0),
        'left_ankle': (0.1, -0.85, 0), 'right_ankle': (-0.1, -0.85, 0),
        'left_foot': (0.1, -0.9, 0.1), 'right_foot': (-0.1, -0.9, 0.1),
    }
    body = np.array([pos[j] for j in layout.joint_names], dtype=np.float64)
    q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    q *= np.sign(np.linalg.det(q))
    body = body @ q.T + np.array([0.3, -0.2, 2.5])
    frames = np.stack([body + 0.01 * t for t in range(num_frames)])
    kp = np.zeros((1, num_frames + 2, 20, 3), dtype=np.float32)
    kp[0, :num_frames] = frames
    return kp


@pytest.mark.parametrize('name', NEW_LAYOUTS)
def test_prenormalize_layout_aligns_spine_and_shoulders(name):
    layout = get_layout(name)
    kp = synthetic_body(name, np.random.default_rng(1))
    out = PreNormalize3DLayout(layout=name)(
        dict(keypoint=kp.copy(), total_frames=kp.shape[1]))
    res = out['keypoint']
    assert res.shape == (1, 6, 20, 3) and out['total_frames'] == 6
    first = res[0, 0]
    np.testing.assert_allclose(first[layout.norm_center], 0, atol=1e-6)
    spine = first[layout.zaxis[1]] - first[layout.zaxis[0]]
    np.testing.assert_allclose(spine / np.linalg.norm(spine), [0, 0, 1],
                               atol=1e-6)
    shoulder = first[layout.xaxis[0]] - first[layout.xaxis[1]]
    np.testing.assert_allclose(shoulder / np.linalg.norm(shoulder),
                               [1, 0, 0], atol=1e-6)
    # the head is above the centre, bone lengths are preserved
    assert first[layout.index('head'), 2] > 0.3
    np.testing.assert_allclose(
        np.linalg.norm(res[0, 0, 0] - res[0, 0, 5]),
        np.linalg.norm(kp[0, 0, 0] - kp[0, 0, 5]), rtol=1e-5)
    np.testing.assert_allclose(out['body_center'], kp[0, 0,
                                                      layout.norm_center])


def test_mmaction_prenormalize_centres_on_wrong_joint_for_20_joints():
    """Why PreNormalize3DLayout exists: PreNormalize3D uses joint -1."""
    from mmaction.datasets.transforms import PreNormalize3D
    kp = synthetic_body('nucla', np.random.default_rng(2))
    out = PreNormalize3D()(dict(keypoint=kp.copy(), total_frames=8))
    np.testing.assert_allclose(out['keypoint'][0, 0, 19], 0, atol=1e-6)
    assert np.linalg.norm(out['keypoint'][0, 0, 1]) > 0.5  # spine not at 0


def test_matches_mmaction_prenormalize_on_ntu():
    from mmaction.datasets.transforms import PreNormalize3D
    rng = np.random.default_rng(3)
    kp = rng.standard_normal((2, 10, 25, 3)).astype(np.float32)
    kp[0, 6:] = 0  # the second person is visible longer: becomes main
    kp[1, :2] = 0
    ref = PreNormalize3D()(dict(keypoint=kp.copy(), total_frames=10))
    out = PreNormalize3DLayout('nturgb+d')(dict(keypoint=kp.copy(),
                                                total_frames=10))
    assert out['total_frames'] == ref['total_frames'] == 8
    np.testing.assert_allclose(out['keypoint'], ref['keypoint'], atol=1e-5)
    np.testing.assert_allclose(out['body_center'], ref['body_center'])


def test_prenormalize_layout_edge_cases():
    zeros = np.zeros((1, 4, 20, 3), dtype=np.float32)
    out = PreNormalize3DLayout('utd_mhad')(dict(keypoint=zeros,
                                                total_frames=4))
    assert out['keypoint'] is zeros
    with pytest.raises(ValueError, match='20 joints'):
        PreNormalize3DLayout('nucla')(
            dict(keypoint=np.ones((1, 3, 25, 3), np.float32)))
    custom = PreNormalize3DLayout(
        dict(norm_center=1, zaxis=(0, 1), xaxis=(8, 4)))
    assert 'norm_center' in repr(custom)
    from mmaction.registry import TRANSFORMS
    built = TRANSFORMS.build(dict(type='PreNormalize3DLayout',
                                  layout='msr_action3d'))
    assert isinstance(built, PreNormalize3DLayout)


def test_prenormalize_layout_reads_the_sample_layout():
    """Without a layout of its own the transform takes the dataset's."""
    kp = synthetic_body('msr_action3d', np.random.default_rng(4))
    own = PreNormalize3DLayout('msr_action3d')(dict(keypoint=kp.copy()))
    shared = PreNormalize3DLayout()
    from_sample = shared(dict(keypoint=kp.copy(), layout='msr_action3d'))
    np.testing.assert_array_equal(from_sample['keypoint'], own['keypoint'])
    # another layout centres on another joint: the sample's layout is used
    utd = shared(dict(keypoint=kp.copy(), layout='utd_mhad'))
    np.testing.assert_allclose(
        utd['body_center'], kp[0, 0, get_layout('utd_mhad').norm_center])
    with pytest.raises(ValueError, match="no layout for sample 'clip7'"):
        shared(dict(keypoint=kp.copy(), frame_dir='clip7'))
    # an alias of the transform's layout is the same layout
    alias = PreNormalize3DLayout('nucla')(dict(
        keypoint=synthetic_body('nucla', np.random.default_rng(5)),
        layout='kinect_v1'))
    assert alias['keypoint'].shape[2] == 20
    with pytest.raises(ValueError, match="with layout 'nucla'"):
        PreNormalize3DLayout('msr_action3d')(
            dict(keypoint=kp.copy(), layout='nucla'))


@pytest.mark.parametrize('name,base', [
    ('nucla', 'nucla_xview_3d'), ('utd_mhad', 'utd_mhad_xsub_3d'),
    ('msr_action3d', 'msr_action3d_xsub_3d')])
def test_twenty_joint_bases_hand_their_layout_to_every_loader(
        repo_root, name, base):
    cfg = Config.fromfile(f'{repo_root}/configs/_base_/datasets/{base}.py')
    loaders = [cfg.train_dataloader, cfg.val_dataloader, cfg.test_dataloader,
               cfg.knn_monitor.train_dataloader,
               cfg.knn_monitor.val_dataloader]
    for loader in loaders:
        dataset = loader.dataset
        assert dataset.layout == name
        assert dataset.ann_file == f'data/skeleton/{name}_3d.pkl'
        assert dataset.pipeline[0] == dict(type='PreNormalize3DLayout')
    splits = [loader.dataset.split for loader in loaders]
    assert splits[0] == splits[3] != splits[1] == splits[2] == splits[4]


def test_package_import_registers_the_transform_only(repo_root):
    """``import mmskel2vec`` registers the transform, leaves Graph as it is."""
    import subprocess
    import sys
    code = ('import mmskel2vec\n'
            'from mmaction.registry import TRANSFORMS\n'
            'from mmaction.models.utils import graph\n'
            'print(TRANSFORMS.get("PreNormalize3DLayout") is not None,\n'
            '      graph.Graph.__init__.__module__)\n')
    proc = subprocess.run([sys.executable, '-c', code], cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    transform, graph_module = proc.stdout.split()[-2:]
    assert transform == 'True'
    assert graph_module == 'mmaction.models.utils.graph'


def test_joint_permutation_maps_names_between_orders():
    for source in ('nucla', 'utd_mhad', 'msr_action3d'):
        for target in ('nucla', 'utd_mhad', 'msr_action3d'):
            order = joint_permutation(source, target)
            names = get_layout(source).joint_names
            assert [names[i] for i in order] == list(
                get_layout(target).joint_names)
    assert joint_permutation('nucla', 'nucla') == list(range(20))
    with pytest.raises(ValueError, match='name different joints'):
        joint_permutation('nturgb+d', 'nucla')
