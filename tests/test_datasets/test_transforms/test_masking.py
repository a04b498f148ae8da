import numpy as np
import pytest

from mmskel2vec.datasets.transforms.masking import (MotionAwareTubeMasking,
                                                    joint_motion_per_tube,
                                                    tube_bounds)


def random_walk(num_person=2, frames=120, joints=25, seed=0):
    rng = np.random.default_rng(seed)
    steps = rng.normal(scale=0.01, size=(num_person, frames, joints, 3))
    return np.cumsum(steps, axis=1).astype(np.float32) + 1.0


def test_tube_bounds_cover_grid_once():
    assert tube_bounds(30, 5) == [(0, 5), (5, 10), (10, 15), (15, 20),
                                  (20, 25), (25, 30)]
    assert tube_bounds(7, 3) == [(0, 3), (3, 6), (6, 7)]


def test_exact_count_and_shape():
    t = MotionAwareTubeMasking(t_patch=4, tube_len=5, mask_ratio=0.9)
    mask = t.transform({'keypoint': random_walk()[None]})['mask']
    assert mask.shape == (1, 2, 30, 25) and mask.dtype == bool
    # round(25 * 0.9) = 22 joints in every token row
    assert (mask.sum(-1) == 22).all()
    assert mask.sum() == 2 * 30 * 22


def test_same_joints_inside_tube_and_tubes_differ():
    np.random.seed(1)
    t = MotionAwareTubeMasking(t_patch=4, tube_len=5, mask_ratio=0.6)
    mask = t.transform({'keypoint': random_walk()})['mask'][0]
    for start, stop in tube_bounds(30, 5):
        tube = mask[:, start:stop]
        assert (tube == tube[:, :1]).all()  # persistent inside the tube
    first_rows = mask[0, ::5]
    # independent draws: not every tube picks the same joint set
    assert len({row.tobytes() for row in first_rows}) > 1


def test_tube_len_one_masks_rows_independently():
    np.random.seed(0)
    t = MotionAwareTubeMasking(t_patch=4, tube_len=1, mask_ratio=0.5,
                               motion_aware=False)
    mask = t.transform({'keypoint': random_walk()})['mask'][0, 0]
    assert (mask.sum(-1) == round(25 * 0.5)).all()
    assert len({row.tobytes() for row in mask}) > 20


def test_motion_bias_over_many_draws():
    kp = np.zeros((1, 40, 25, 3), np.float32) + 1.0
    rng = np.random.default_rng(0)
    fast = [3, 7, 11]
    kp[:, :, fast] += np.cumsum(
        rng.normal(scale=0.05, size=(1, 40, 3, 3)), axis=1)
    kp[:, :, :] += rng.normal(scale=1e-3, size=kp.shape)
    aware = MotionAwareTubeMasking(t_patch=4, tube_len=5, mask_ratio=0.2,
                                   tau=0.2)
    uniform = MotionAwareTubeMasking(t_patch=4, tube_len=5, mask_ratio=0.2,
                                     motion_aware=False)
    gen = np.random.default_rng(1)
    freq_aware = np.mean([aware.sample_mask(kp, gen)[0, 0, :, fast].mean()
                          for _ in range(300)])
    freq_uniform = np.mean([
        uniform.sample_mask(kp, gen)[0, 0, :, fast].mean()
        for _ in range(300)
    ])
    assert freq_uniform == pytest.approx(5 / 25, abs=0.05)
    assert freq_aware > 2 * freq_uniform


def test_motion_measure_matches_definition():
    kp = np.zeros((1, 8, 2, 3), np.float32)
    kp[0, :, 1, 0] = np.arange(8) * 0.5  # joint 1 moves 0.5 per frame in x
    motion = joint_motion_per_tube(kp, t_patch=2, tube_len=2)
    assert motion.shape == (1, 2, 2)
    np.testing.assert_allclose(motion[0, :, 0], 0)
    np.testing.assert_allclose(motion[0, :, 1], 0.5 / 3)


def test_reproducible_with_seed_and_views():
    t = MotionAwareTubeMasking(num_views=3)
    kp = random_walk()
    np.random.seed(123)
    a = t.transform({'keypoint': kp})['mask']
    np.random.seed(123)
    b = t.transform({'keypoint': kp})['mask']
    assert a.shape == (3, 2, 30, 25)
    np.testing.assert_array_equal(a, b)
    assert not (a[0] == a[1]).all()


def test_still_person_falls_back_to_uniform():
    kp = random_walk()
    kp[1] = 0
    np.random.seed(0)
    mask = MotionAwareTubeMasking().transform({'keypoint': kp})['mask']
    assert (mask[0, 1].sum(-1) == 22).all()


@pytest.mark.parametrize('kp, message', [
    (np.zeros((2, 2, 25, 3), np.float32) + 1, 'fewer than'),
    (np.full((2, 8, 25, 3), np.nan, np.float32), 'non-finite'),
    (np.zeros((2, 8, 25, 3), np.float32), 'all coordinates are zero'),
    (np.ones((2, 10, 25, 3), np.float32), 'multiple of t_patch'),
])
def test_bad_input_names_sample(kp, message):
    with pytest.raises(ValueError, match=message) as err:
        MotionAwareTubeMasking().transform({'keypoint': kp,
                                            'frame_dir': 'S001A042'})
    assert 'S001A042' in str(err.value)


def test_bad_arguments():
    with pytest.raises(ValueError):
        MotionAwareTubeMasking(mask_ratio=1.0)
    with pytest.raises(ValueError):
        MotionAwareTubeMasking(tau=0)
