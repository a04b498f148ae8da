"""tools/analysis/seed_sweep.sh: the job matrix it would run (DRY_RUN=1)."""
import os
import os.path as osp
import subprocess

import pytest

from repo_paths import REPO_ROOT

SCRIPT = osp.join(REPO_ROOT, 'tools', 'analysis', 'seed_sweep.sh')


def sweep(dataset, **env):
    """Job lines ``[name, kind, config, *options]`` of a dry run."""
    env = dict(os.environ, DRY_RUN='1', **env)
    out = subprocess.run(['bash', SCRIPT, dataset], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True)
    return out.returncode, [line.split() for line in out.stdout.splitlines()
                            ], out.stderr


@pytest.mark.parametrize('dataset', ['msr', 'utd', 'nucla'])
def test_matrix(dataset):
    rc, jobs, err = sweep(dataset, SEEDS='0 1', ARMS='default random-init '
                          'randommask', PROTOCOLS='linear semi ft')
    assert rc == 0, err
    names = [job[0] for job in jobs]
    assert len(names) == len(set(names))
    # 2 arms x 2 seeds pretrained, each with 3 probes; 2 x 3 random
    pre = [job for job in jobs if job[1] == 'pre']
    assert sorted(job[0] for job in pre) == [
        'pre_default_0', 'pre_default_1', 'pre_randommask_0',
        'pre_randommask_1']
    assert len(jobs) == 4 + 4 * 3 + 2 * 3
    for job in jobs:
        assert osp.isfile(osp.join(REPO_ROOT, job[2])), job
    # pretraining first, then the random encoders, then the probes
    kinds = [job[0].split('_')[0] == 'pre' for job in jobs]
    assert kinds == sorted(kinds, reverse=True)
    for name, kind, config, *options in jobs:
        protocol = name.split('_')[0]
        if protocol == 'pre':
            assert options == [f'randomness.seed={name.split("_")[-1]}']
            continue
        assert (kind == 'semi') == (protocol == 'semi')
        assert {'linear': 'linear', 'semi': 'semi10pct', 'ft': 'finetune'}[
            protocol] in osp.basename(config)
        assert dataset_tag(dataset) in config
        if '_rand_' in name:
            seed = name.split('_')[-1]
            assert options == ['model.backbone.init_cfg=None',
                               f'randomness.seed={seed}']
        else:
            source = 'pre_' + name.split('_', 1)[1]
            assert source in names
            assert options == [
                f'model.backbone.init_cfg.checkpoint=@{source}']


def test_ablation_with_its_own_schedule():
    """An ablation's config is found whatever schedule its name carries."""
    rc, jobs, err = sweep('msr', SEEDS='0', ARMS='long', PROTOCOLS='ft')
    assert rc == 0, err
    (pre, ft) = jobs
    assert pre[:2] == ['pre_long_0', 'pre']
    assert osp.basename(pre[2]) == (
        'skeleton2vec-long_stt-4x128_1xb32-200e_msr-action3d-xsub-'
        'keypoint-3d.py')
    assert ft[0] == 'ft_long_0'


def test_msr_pooled_default():
    """pooledlong is MSR Action3D's pooled default, a main config."""
    rc, jobs, err = sweep('msr', SEEDS='0', ARMS='pooledlong',
                          PROTOCOLS='semi')
    assert rc == 0, err
    (pre, semi) = jobs
    assert pre[:3] == [
        'pre_pooledlong_0', 'pre',
        'configs/skeleton2vec/skeleton2vec_stt-4x128_1xb32-58e_pooled-'
        'msr-action3d-xsub-keypoint-3d.py']
    assert semi[0] == 'semi_pooledlong_0'
    # no other dataset has one
    rc, _, err = sweep('utd', SEEDS='0', ARMS='pooledlong')
    assert rc == 2 and 'no config' in err


def test_msr_pooled_default_ablations():
    """pooledlong-NAME is the ablation NAME of the pooled default."""
    rc, jobs, err = sweep('msr', SEEDS='0', ARMS='pooledlong-randommask '
                          'pooledlong-mampprior', PROTOCOLS='linear')
    assert rc == 0, err
    pre = {job[0]: osp.basename(job[2]) for job in jobs if job[1] == 'pre'}
    assert pre == {
        f'pre_pooledlong-{arm}_0': f'skeleton2vec-{arm}_stt-4x128_1xb32-'
        '58e_pooled-msr-action3d-xsub-keypoint-3d.py'
        for arm in ('randommask', 'mampprior')}
    assert sorted(job[0] for job in jobs if job[1] != 'pre') == [
        'linear_pooledlong-mampprior_0', 'linear_pooledlong-randommask_0']
    rc, _, err = sweep('utd', SEEDS='0', ARMS='pooledlong-randommask')
    assert rc == 2 and 'no config' in err


def test_extra_options():
    """PRE_OPTIONS reach every pretraining run, PROBE_OPTIONS every probe."""
    rc, jobs, err = sweep('utd', SEEDS='3', ARMS='default random-init',
                          PROTOCOLS='semi', PRE_OPTIONS='a=1 b=2',
                          PROBE_OPTIONS='c=3')
    assert rc == 0, err
    options = {job[0]: job[3:] for job in jobs}
    assert options == {
        'pre_default_3': ['randomness.seed=3', 'a=1', 'b=2'],
        'semi_rand_3': ['model.backbone.init_cfg=None', 'randomness.seed=3',
                        'c=3'],
        'semi_default_3': [
            'model.backbone.init_cfg.checkpoint=@pre_default_3', 'c=3']}


def dataset_tag(dataset):
    return {'msr': 'msr-action3d-xsub', 'utd': 'utd-mhad-xsub',
            'nucla': 'nucla-xview'}[dataset]


@pytest.mark.parametrize('dataset,env,message', [
    ('foo', {}, 'unknown dataset foo'),
    ('msr', {'ARMS': 'bogus'}, 'no config'),
    ('msr', {'PROTOCOLS': 'bogus'}, 'unknown protocol bogus'),
])
def test_bad_arguments(dataset, env, message):
    rc, _, err = sweep(dataset, **env)
    assert rc == 2
    assert message in err
