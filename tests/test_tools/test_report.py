"""tools/analysis/report.py: tables, curves and t-SNE from work dirs."""
import csv
import json
import os.path as osp
import runpy
import sys

from mmengine.config import Config

from repo_paths import REPO_ROOT as REPO

TOOL = osp.join(REPO, 'tools', 'analysis', 'report.py')
CONFIGS = osp.join(REPO, 'configs', 'skeleton2vec')
PRETRAIN = osp.join(
    CONFIGS, 'skeleton2vec_stt-4x128_1xb16-15e_synthetic-keypoint-3d.py')
LINEAR = osp.join(CONFIGS, 'benchmarks', 'skeleton2vec-linear_stt-4x128_'
                  '1xb32-30e_synthetic-keypoint-3d.py')
MSR = 'stt-4x128_1xb32-100e_msr-action3d-xsub-keypoint-3d.py'
MSR_PRETRAIN = osp.join(CONFIGS, f'skeleton2vec_{MSR}')
MSR_EMA_ABLATION = osp.join(CONFIGS, 'ablations',
                            f'skeleton2vec-ema0.97_{MSR}')
MSR_LAYER_NORM_ABLATION = osp.join(CONFIGS, 'ablations',
                                   f'skeleton2vec-lntarget_{MSR}')
MSR_EMA_RAMP_ABLATION = osp.join(CONFIGS, 'ablations',
                                 f'skeleton2vec-emaramp_{MSR}')
MSR_POOLED_ABLATION = osp.join(
    CONFIGS, 'ablations',
    f"skeleton2vec-pooled_{MSR.replace('100e', '30e')}")
NUCLA_PRETRAIN = osp.join(
    CONFIGS, 'skeleton2vec_stt-4x128_1xb32-100e_nucla-xview-keypoint-3d.py')
MSR_FINETUNE = osp.join(
    CONFIGS, 'benchmarks',
    f"skeleton2vec-finetune_{MSR.replace('1xb32-100e', '1xb16-30e')}")
PNG = b'\x89PNG\r\n\x1a\n'


def fake_run(work_dir, config, stamp, records=(), test=None, minutes=3):
    """A work dir as MMEngine writes it: dump, scalars, log, test json."""
    run = work_dir / stamp
    (run / 'vis_data').mkdir(parents=True)
    name = osp.splitext(osp.basename(config.filename))[0]
    config.dump(str(work_dir / f'{name}.py'))
    config.dump(str(run / 'vis_data' / 'config.py'))
    day = f'{stamp[:4]}/{stamp[4:6]}/{stamp[6:8]}'
    with open(run / f'{stamp}.log', 'w') as f:
        hour = stamp[9:11]
        f.write(f'{day} {hour}:00:00 - mmengine - INFO - start\n'
                f'{day} {hour}:{minutes:02d}:30 - mmengine - INFO - end\n')
    if test is not None:
        with open(run / f'{stamp}.json', 'w') as f:
            json.dump(test, f)
        return
    with open(run / 'vis_data' / 'scalars.json', 'w') as f:
        for record in records:
            f.write(json.dumps(record) + '\n')


def test_tables_curves_and_tsne(tmp_path, monkeypatch, capsys):
    root = tmp_path / 'runs'
    pre_dir = root / 'pre'
    fake_run(pre_dir, Config.fromfile(PRETRAIN), '20260101_100000',
             [dict(loss=1.0 - i / 10, step=i + 1, epoch=1) for i in range(5)]
             + [{'knn/teacher_top1': 20.0, 'knn/student_top1': 20.0,
                 'knn/position_share': 0.9, 'epoch': 0, 'step': 0},
                {'knn/teacher_top1': 35.0, 'knn/student_top1': 30.0,
                 'knn/position_share': 0.5, 'epoch': 1, 'step': 5}])
    linear = Config.fromfile(LINEAR)
    linear.merge_from_dict({
        'model.backbone.init_cfg.checkpoint': str(pre_dir / 'epoch_15.pth'),
        'train_cfg.max_epochs': 2})
    records = [dict(loss=2.0, step=1, epoch=1),
               {'acc/top1': 0.25, 'acc/top5': 0.5, 'acc/mean1': 0.2,
                'step': 1},
               dict(loss=1.5, step=2, epoch=2),
               {'acc/top1': 0.5, 'acc/top5': 0.75, 'acc/mean1': 0.45,
                'step': 2}]
    fake_run(root / 'linear', linear, '20260101_110000', records,
             minutes=12)
    fake_run(root / 'linear', linear, '20260101_120000',
             test={'acc/top1': 0.625, 'acc/top5': 0.875, 'acc/mean1': 0.6})
    # the same probe with another seed: pooled in seeds.md
    linear.merge_from_dict({'randomness.seed': 1})
    fake_run(root / 'linear-seed1', linear, '20260101_130000',
             test={'acc/top1': 0.5, 'acc/top5': 0.75, 'acc/mean1': 0.4})
    tiny = Config.fromfile(LINEAR)
    tiny.merge_from_dict({
        'model.backbone.depth': 1, 'model.backbone.embed_dims': 16,
        'model.cls_head.in_channels': 16,
        'test_dataloader.dataset.num_samples': 12,
        'test_dataloader.batch_size': 6})
    tiny_path = tmp_path / 'tiny.py'
    tiny.dump(str(tiny_path))
    out = tmp_path / 'report'
    monkeypatch.setattr(sys, 'argv', [
        TOOL, str(root), '--out', str(out), '--tsne', 'random',
        str(tiny_path), 'none', '--tsne-samples', '12'])
    runpy.run_path(TOOL, run_name='__main__')
    assert '3 work directories summarized' in capsys.readouterr().out
    md = (out / 'results.md').read_text()
    # the protocol probes the EMA teacher of the demo's masking; the demo's
    # narrow decoder, rate and constant teacher differ from the small-data
    # recipe's, so the method names them; the probe scores the demo's noisy
    # clips, so the dataset names their variation
    assert ('| Skeleton2vec, motion-aware tube mask (beta 0.1, tube 4), '
            'decoder width 64, lr 0.00025, EMA 0.996 [EMA teacher] | '
            'SkeletonTransformer '
            '4x128 | linear | synthetic (noise_std=0.03) | val | 62.50 | '
            '87.50 | 60.00 | '
            '0 / 0 | 2 | 12m30s |') in md
    assert '| 1/15 | 0.8000 | 3m30s | pre |' in md  # pretraining table
    rows = list(csv.DictReader(open(out / 'results.csv')))
    assert [(r['top1'], r['seeds']) for r in rows] == [('62.50', '0 / 0'),
                                                       ('50.00', '0 / 1')]
    assert rows[0]['metric_source'] == 'test'
    # 62.5 and 50: mean 56.25, sample std 12.5 / sqrt(2)
    seeds = (out / 'seeds.md').read_text()
    assert ('| linear | synthetic (noise_std=0.03) | val | 2 | 2 | 0/0, 0/1 | '
            '56.25 | 8.84 | 50.00 | 62.50 | 50.00 |') in seeds
    pooled = list(csv.DictReader(open(out / 'seeds.csv')))
    assert len(pooled) == 1 and pooled[0]['runs'] == '2'
    knn = (out / 'knn.md').read_text()
    # the demo's noisy clips name their variation
    assert ('| synthetic (noise_std=0.03) | 0 | 1/15 | 20.00 | 35.00 | '
            '30.00 | 0.900 | 0.500 |') in knn
    assert ('| synthetic (noise_std=0.03) | 1 | 35.00 | 30.00 | 0.500 |'
            in knn)  # pooled
    for png in ('loss_curves.png', 'val_accuracy.png', 'tsne_random.png',
                'knn_curves.png'):
        assert (out / png).read_bytes()[:8] == PNG, png


def test_comparison_with_random_init():
    from mmskel2vec.analysis import RunSummary
    tool = runpy.run_path(TOOL)

    def run(method, protocol, top1, seed):
        return RunSummary(work_dir=f'{method}{protocol}{seed}', name='x',
                          method=method, backbone='b', protocol=protocol,
                          dataset='d', split='s', top1=top1,
                          metric_source='test', epochs=10, seed=seed)
    runs = [run('s2v', 'linear', 60.0, 0), run('s2v', 'linear', 64.0, 1),
            run('random init', 'linear', 50.0, 0),
            run('random init', 'linear', 52.0, 1),
            run('s2v', 'finetune', 70.0, 0), run('s2v', 'finetune', 72.0, 1),
            run('random init', 'scratch', 60.0, 0),
            run('random init', 'scratch', 60.0, 1),
            run('s2v', 'semi 10%', 30.0, 0)]  # one run: not compared
    rows = {r['protocol']: r for r in tool['comparison_rows'](runs)}
    assert set(rows) == {'linear', 'finetune'}
    # diff 11; se = sqrt(8/2 + 2/2) = sqrt(5)
    assert rows['linear']['diff'] == '11.00'
    assert rows['linear']['se'] == '2.24' and rows['linear']['z'] == '4.92'
    assert rows['finetune']['diff'] == '11.00'
    assert rows['finetune']['runs'] == '2 / 2'


def test_method_names_tell_ablations_apart():
    from mmskel2vec.analysis.run_summary import pretraining_method
    cfg = Config.fromfile(MSR_PRETRAIN)
    default = pretraining_method(cfg)
    assert 'LayerScale' not in default
    cfg.merge_from_dict({'model.backbone.layer_scale_init': 1e-4})
    assert pretraining_method(cfg) == default + ', LayerScale 0.0001'
    msr = pretraining_method(Config.fromfile(MSR_PRETRAIN))
    assert 'EMA' not in msr
    ema = pretraining_method(Config.fromfile(MSR_EMA_ABLATION))
    assert ema == msr + ', EMA 0.97 -> 1'
    ramp = pretraining_method(Config.fromfile(MSR_EMA_RAMP_ABLATION))
    assert ramp == msr + ', EMA 0.996 -> 0.9999'
    in_iters = Config.fromfile(MSR_PRETRAIN)
    hook, = (h for h in in_iters.custom_hooks if h.type == 'EMATeacherHook')
    hook.update(hold_epochs=None, hold_iters=360)
    assert pretraining_method(in_iters) == (
        msr + ', EMA 0.996 for 360 iterations, then 0.97 -> 1')
    hook.update(hold_epochs=20, hold_iters=0)
    assert pretraining_method(in_iters) == (
        msr + ', EMA 0.996 for 20 epochs, then 0.97 -> 1')
    # a hold as long as the run is a constant momentum
    hook.update(hold_epochs=in_iters.train_cfg.max_epochs)
    assert pretraining_method(in_iters) == msr + ', EMA 0.996'
    layer = pretraining_method(Config.fromfile(MSR_LAYER_NORM_ABLATION))
    assert layer == msr + ', layer-normalised target blocks'
    narrow = Config.fromfile(MSR_PRETRAIN)
    narrow.merge_from_dict({'model.head.embed_dims': 64})
    assert pretraining_method(narrow) == msr + ', decoder width 64'


def test_a_resumed_run_is_read_across_its_folders(tmp_path):
    from mmskel2vec.analysis.run_summary import summarize_work_dir
    cfg = Config.fromfile(MSR_PRETRAIN)
    work_dir = tmp_path / 'pre'
    knn = [{'knn/teacher_top1': t, 'knn/student_top1': 20.0, 'epoch': e,
            'step': 10 * e} for e, t in ((0, 20.0), (1, 25.0), (2, 5.0))]
    # a replaced run, then a fresh one interrupted after epoch 2 (its
    # checkpoint at epoch 1), then the resume from epoch 1
    fake_run(work_dir, cfg, '20260101_090000', [dict(knn[0], epoch=0)])
    fake_run(work_dir, cfg, '20260101_100000', knn)
    cfg.resume = True
    fake_run(work_dir, cfg, '20260101_110000', [
        {'knn/teacher_top1': t, 'knn/student_top1': 30.0, 'epoch': e,
         'step': 10 * e} for e, t in ((2, 30.0), (3, 40.0))])
    summary = summarize_work_dir(str(work_dir))
    assert summary.knn_curves['teacher_top1'] == [(0, 20.0), (1, 25.0),
                                                  (2, 30.0), (3, 40.0)]
    assert summary.wall_time_s == 2 * 210  # 3 min 30 s in either folder


def test_pooled_pretraining_names_its_datasets(tmp_path):
    from mmskel2vec.analysis.run_summary import summarize_work_dir
    work_dir = tmp_path / 'pre_pooled'
    fake_run(work_dir, Config.fromfile(MSR_POOLED_ABLATION),
             '20260101_090000')
    summary = summarize_work_dir(str(work_dir))
    assert summary.dataset == 'nucla+utd_mhad+msr_action3d'
    assert summary.split == 'xview_train+xsub_train+xsub_train'
    # the masking is read from the pooled datasets' pipeline, and the
    # scaled teacher hold tells the run apart from the default's
    default = summarize_work_dir(str(_fake_default(tmp_path)))
    assert summary.method == default.method + (
        ', EMA 0.996 for 12 epochs, then 0.97 -> 1')
    assert 'motion-aware tube mask (beta 0.1, tube 1, ratio 0.5)' in (
        summary.method)


def test_transfer_only_from_other_datasets(tmp_path):
    """Fine-tuning after pooled pretraining that holds its dataset is not
    transfer; after pretraining on another dataset it is."""
    from mmskel2vec.analysis.run_summary import summarize_work_dir
    pooled = tmp_path / 'pre_pooled'
    fake_run(pooled, Config.fromfile(MSR_POOLED_ABLATION), '20260101_090000')
    nucla = tmp_path / 'pre_nucla'
    fake_run(nucla, Config.fromfile(NUCLA_PRETRAIN), '20260101_090000')
    protocols = {}
    for pre in (pooled, nucla):
        cfg = Config.fromfile(MSR_FINETUNE)
        cfg.model.backbone.init_cfg.checkpoint = str(pre / 'epoch_30.pth')
        work_dir = tmp_path / f'ft_{pre.name}'
        fake_run(work_dir, cfg, '20260101_100000',
                 test={'acc/top1': 0.7})
        protocols[pre.name] = summarize_work_dir(str(work_dir)).protocol
    assert protocols == {'pre_pooled': 'finetune',
                         'pre_nucla': 'transfer from nucla'}


def _fake_default(tmp_path):
    """A fake run of the MSR Action3D default pretraining."""
    work_dir = tmp_path / 'pre_default'
    fake_run(work_dir, Config.fromfile(MSR_PRETRAIN), '20260101_090000')
    return work_dir
