import numpy as np
import pytest
from mmengine.dataset import Compose

from mmskel2vec.datasets.layouts import get_layout
from mmskel2vec.datasets.transforms.joint_order import ReorderJoints


def named_sample(layout, rng):
    """A sample whose joint j holds values that identify its name."""
    names = get_layout(layout).joint_names
    code = {name: i for i, name in enumerate(sorted(names))}
    keypoint = rng.normal(size=(1, 3, len(names), 3)).astype(np.float32)
    keypoint[..., 0] = [code[name] for name in names]
    score = np.broadcast_to(
        np.array([code[name] for name in names], np.float32),
        (1, 3, len(names))).copy()
    return dict(keypoint=keypoint, keypoint_score=score, layout=layout,
                frame_dir='a01_s01_e01'), code


@pytest.mark.parametrize('source', ['nucla', 'utd_mhad'])
def test_joints_land_where_the_target_names_them(source):
    sample, code = named_sample(source, np.random.default_rng(0))
    before = sample['keypoint'].copy()
    out = ReorderJoints(target='msr_action3d').transform(sample)
    target_names = get_layout('msr_action3d').joint_names
    expected = [code[name] for name in target_names]
    assert (out['keypoint'][0, :, :, 0] == expected).all()
    assert (out['keypoint_score'][0] == expected).all()
    assert out['layout'] == 'msr_action3d'
    # the coordinates move with their joint, unchanged
    source_names = get_layout(source).joint_names
    for j, name in enumerate(target_names):
        np.testing.assert_array_equal(
            out['keypoint'][:, :, j], before[:, :, source_names.index(name)])


def test_one_step_serves_every_source_of_a_pooled_dataset():
    """The order is kept per source layout, not the first one seen."""
    step = ReorderJoints(target='msr_action3d')
    rng = np.random.default_rng(3)
    expected = [i for i, _ in enumerate(sorted(
        get_layout('msr_action3d').joint_names))]
    for source in ('nucla', 'utd_mhad', 'nucla'):
        sample, code = named_sample(source, rng)
        out = step.transform(sample)
        assert (out['keypoint'][0, 0, :, 0] == [
            code[name] for name in get_layout('msr_action3d').joint_names
        ]).all()
    assert sorted(out['keypoint'][0, 0, :, 0].astype(int)) == expected


def test_same_order_is_left_alone():
    sample, _ = named_sample('msr_action3d', np.random.default_rng(1))
    before = sample['keypoint'].copy()
    out = ReorderJoints(target='msr_action3d').transform(sample)
    np.testing.assert_array_equal(out['keypoint'], before)


def test_normalisation_after_reordering_reads_the_new_layout():
    """The pipeline of pooled pretraining: reorder, then normalise."""
    rng = np.random.default_rng(2)
    sample, _ = named_sample('nucla', rng)
    sample['keypoint'] = rng.normal(size=(1, 5, 20, 3)).astype(np.float32)
    pipeline = Compose([dict(type='ReorderJoints', target='msr_action3d'),
                        dict(type='PreNormalize3DLayout')])
    reordered = pipeline(dict(sample, keypoint=sample['keypoint'].copy()))
    direct = Compose([dict(type='PreNormalize3DLayout')])(
        dict(sample, keypoint=sample['keypoint'].copy()))
    # the same skeleton normalised either way, up to the joint order
    order = [get_layout('nucla').joint_names.index(name)
             for name in get_layout('msr_action3d').joint_names]
    np.testing.assert_allclose(reordered['keypoint'],
                               direct['keypoint'][:, :, order], atol=1e-5)


def test_errors_name_the_problem():
    with pytest.raises(KeyError, match='unknown skeleton layout'):
        ReorderJoints(target='kinect_v3')
    with pytest.raises(ValueError, match="'a01_s01_e01' has no layout"):
        ReorderJoints(target='nucla').transform(
            dict(keypoint=np.zeros((1, 2, 20, 3)), frame_dir='a01_s01_e01'))
    with pytest.raises(ValueError, match='name different joints'):
        ReorderJoints(target='nucla').transform(
            dict(keypoint=np.zeros((1, 2, 25, 3)), layout='nturgb+d'))
