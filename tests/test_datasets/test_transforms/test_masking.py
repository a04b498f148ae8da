import numpy as np
import pytest

from mmskel2vec.datasets.transforms.masking import (PRIORS,
                                                    MotionAwareTubeMasking,
                                                    joint_motion_per_tube,
                                                    normalized_motion,
                                                    tube_bounds)


def random_walk(num_person=2, frames=120, joints=25, seed=0):
    rng = np.random.default_rng(seed)
    steps = rng.normal(scale=0.01, size=(num_person, frames, joints, 3))
    return np.cumsum(steps, axis=1).astype(np.float32) + 1.0


def test_tube_bounds_cover_grid_once():
    assert tube_bounds(30, 5) == [(0, 5), (5, 10), (10, 15), (15, 20),
                                  (20, 25), (25, 30)]
    assert tube_bounds(7, 3) == [(0, 3), (3, 6), (6, 7)]


def moving_joints(speeds, frames=30, num_person=1):
    """Joints moving in x at the given speeds per frame, on top of 1.0."""
    kp = np.ones((num_person, frames, len(speeds), 3), np.float32)
    kp[..., 0] += np.arange(frames)[:, None] * np.asarray(speeds)[None]
    return kp


@pytest.mark.parametrize('prior', PRIORS)
@pytest.mark.parametrize('count, joints, masked', [
    ('keep', 25, 23),  # int(25 * 0.1) = 2 visible
    ('keep', 20, 19),  # int(20 * 0.09999...) = 1 visible, as the authors
    ('mask', 25, 22),  # round(22.5) = 22 masked
    ('mask', 20, 18),
])
def test_exact_count_and_shape(prior, count, joints, masked):
    t = MotionAwareTubeMasking(t_patch=3, tube_len=5, mask_ratio=0.9,
                               prior=prior, count=count)
    kp = random_walk(frames=90, joints=joints)
    mask = t.transform({'keypoint': kp[None]})['mask']
    assert mask.shape == (1, 2, 30, joints) and mask.dtype == bool
    assert (mask.sum(-1) == masked).all()


@pytest.mark.parametrize('prior', ['additive', 'softmax', 'uniform'])
def test_same_joints_inside_tube_and_tubes_differ(prior):
    np.random.seed(1)
    t = MotionAwareTubeMasking(t_patch=4, tube_len=5, mask_ratio=0.6,
                               prior=prior)
    mask = t.transform({'keypoint': random_walk()})['mask'][0]
    for start, stop in tube_bounds(30, 5):
        tube = mask[:, start:stop]
        assert (tube == tube[:, :1]).all()  # persistent inside the tube
    first_rows = mask[0, ::5]
    # independent draws: not every tube picks the same joint set
    assert len({row.tobytes() for row in first_rows}) > 1


def test_random_prior_masks_rows_independently():
    np.random.seed(0)
    t = MotionAwareTubeMasking(t_patch=4, tube_len=5, mask_ratio=0.5,
                               prior='random', count='mask')
    mask = t.transform({'keypoint': random_walk()})['mask'][0, 0]
    assert (mask.sum(-1) == round(25 * 0.5)).all()
    assert len({row.tobytes() for row in mask}) > 20


@pytest.mark.parametrize('prior', PRIORS)
def test_independent_across_tubes_and_persons(prior):
    # 4 joints, 2 masked per group; P(j masked in A and in B) must be the
    # product of the marginals for two tubes and for two persons
    kp = moving_joints([0.0, 0.01, 0.02, 0.03], frames=24, num_person=2)
    t = MotionAwareTubeMasking(t_patch=2, tube_len=6, mask_ratio=0.5,
                               prior=prior, beta=0.5, tau=0.5, count='mask',
                               num_views=20000)
    mask = t.sample_mask(kp, np.random.default_rng(0)).astype(float)
    first, second = mask[:, 0, 0], mask[:, 0, 6]  # tube 0, tube 1
    np.testing.assert_allclose((first * second).mean(0),
                               first.mean(0) * second.mean(0), atol=0.015)
    other = mask[:, 1, 0]  # person 1, tube 0
    np.testing.assert_allclose((first * other).mean(0),
                               first.mean(0) * other.mean(0), atol=0.015)


def kept_first_probability(offsets, grid=200001):
    """P(joint j has the lowest score), scores ~ U[b_j, 1 + b_j)."""
    s = np.linspace(0.0, 1.0 + max(offsets), grid)
    ds = s[1] - s[0]
    density = [((s >= b) & (s < 1 + b)).astype(float) for b in offsets]
    # P(S_i > s) for S_i ~ U[b, 1 + b): 1 below b, 1 + b - s inside, 0 above
    above = [np.where(s < b, 1.0, np.clip(1 + b - s, 0, 1)) for b in offsets]
    probs = []
    for j in range(len(offsets)):
        others = np.prod([above[i] for i in range(len(offsets)) if i != j],
                         axis=0)
        probs.append((density[j] * others).sum() * ds)
    return np.asarray(probs)


def test_additive_prior_strength_matches_formula():
    speeds = [0.03, 0.015, 0.0]
    kp = moving_joints(speeds, frames=30)
    beta = 0.5
    t = MotionAwareTubeMasking(t_patch=3, tube_len=5, mask_ratio=0.6,
                               prior='additive', beta=beta, count='mask',
                               num_views=20000)
    assert t.num_masked_joints(3) == 2  # one joint stays visible
    motion = normalized_motion(kp, 3, 5)[0, 0]
    np.testing.assert_allclose(motion, [1, 0.5, 0], atol=1e-4)
    mask = t.sample_mask(kp, np.random.default_rng(0))
    kept = 1.0 - mask[:, 0, ::5].mean((0, 1))  # one row per tube
    expected = kept_first_probability(beta * motion)
    # closed form for two joints: (1 - beta)^2 / 2 for the moving one
    np.testing.assert_allclose(
        kept_first_probability(np.array([beta, 0.0]))[0],
        (1 - beta)**2 / 2, atol=1e-4)
    np.testing.assert_allclose(kept, expected, atol=0.01)
    assert kept[0] < kept[1] < kept[2]


def test_softmax_prior_strength_matches_formula():
    kp = moving_joints([0.03, 0.015, 0.0], frames=30)
    tau = 0.5
    t = MotionAwareTubeMasking(t_patch=3, tube_len=5, mask_ratio=0.34,
                               prior='softmax', tau=tau, count='mask',
                               num_views=20000)
    assert t.num_masked_joints(3) == 1
    motion = normalized_motion(kp, 3, 5)[0, 0]
    logits = motion / tau
    expected = np.exp(logits) / np.exp(logits).sum()
    mask = t.sample_mask(kp, np.random.default_rng(0))
    np.testing.assert_allclose(mask[:, 0, ::5].mean((0, 1)), expected,
                               atol=0.01)


@pytest.mark.parametrize('prior', ['uniform', 'random'])
def test_uniform_priors_ignore_motion(prior):
    kp = moving_joints([0.03, 0.015, 0.0, 0.0], frames=30)
    t = MotionAwareTubeMasking(t_patch=3, tube_len=5, mask_ratio=0.5,
                               prior=prior, count='mask', num_views=20000)
    mask = t.sample_mask(kp, np.random.default_rng(0))
    np.testing.assert_allclose(mask.mean((0, 1, 2)), 0.5, atol=0.01)


def test_motion_measure_matches_definition():
    kp = np.zeros((1, 8, 2, 3), np.float32)
    kp[0, :, 1, 0] = np.arange(8) * 0.5  # joint 1 moves 0.5 per frame in x
    motion = joint_motion_per_tube(kp, t_patch=2, tube_len=2)
    assert motion.shape == (1, 2, 2)
    np.testing.assert_allclose(motion[0, :, 0], 0)
    # 0.5 / 3 per frame; the clip's last frame counts 0
    np.testing.assert_allclose(motion[0, :, 1], [0.5 / 3, 0.5 / 3 * 3 / 4])
    np.testing.assert_allclose(
        normalized_motion(kp, 2, 2)[0, :, 1], 1.0, atol=1e-4)


def test_reproducible_with_seed_and_views():
    t = MotionAwareTubeMasking(t_patch=4, num_views=3)
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
    t = MotionAwareTubeMasking(t_patch=4)
    assert (normalized_motion(kp, 4, 5)[1] == 0).all()
    mask = t.transform({'keypoint': kp})['mask']
    assert (mask[0, 1].sum(-1) == 23).all()


@pytest.mark.parametrize('kp, message', [
    (np.zeros((2, 2, 25, 3), np.float32) + 1, 'fewer than'),
    (np.full((2, 8, 25, 3), np.nan, np.float32), 'non-finite'),
    (np.zeros((2, 8, 25, 3), np.float32), 'all coordinates are zero'),
    (np.ones((2, 10, 25, 3), np.float32), 'multiple of t_patch'),
])
def test_bad_input_names_sample(kp, message):
    with pytest.raises(ValueError, match=message) as err:
        MotionAwareTubeMasking(t_patch=4).transform(
            {'keypoint': kp, 'frame_dir': 'S001A042'})
    assert 'S001A042' in str(err.value)


def test_bad_arguments():
    with pytest.raises(ValueError):
        MotionAwareTubeMasking(mask_ratio=1.0)
    with pytest.raises(ValueError):
        MotionAwareTubeMasking(tau=0)
    with pytest.raises(ValueError, match='prior'):
        MotionAwareTubeMasking(prior='gumbel')
    with pytest.raises(ValueError, match='count'):
        MotionAwareTubeMasking(count='visible')
    with pytest.raises(ValueError, match='beta'):
        MotionAwareTubeMasking(beta=-0.1)
