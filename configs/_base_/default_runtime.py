# Runtime defaults for mmskel2vec configs (MMAction2 conventions). Shipped
# here instead of `mmaction::_base_/default_runtime.py` so configs load even
# where mmengine's `pkg::` bases cannot resolve packages.
default_scope = 'mmaction'
custom_imports = dict(imports=['mmskel2vec'], allow_failed_imports=False)

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # atomic saves; plus a rolling `iter_<k>.pth` every `resume_interval`
    # iterations where the train loop can resume inside an epoch
    # (docs/reliability.md)
    checkpoint=dict(
        type='AtomicCheckpointHook',
        interval=1,
        max_keep_ckpts=3,
        resume_interval=1000),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffers=dict(type='SyncBuffersHook'))

# Our runtime hooks. MMEngine replaces `custom_hooks` as a whole, so a config
# that sets its own list starts it with these three
# (`[*_base_.custom_hooks, ...]`, or the ones it wants by name:
# `_base_.iter_seed_hook`, ...); tests/test_configs/test_runtime_hooks.py
# checks every shipped config.
# model-side randomness (dropout, drop path) from (seed, iteration)
iter_seed_hook = dict(type='IterSeedHook')
# distributed runs: stop if the weights (incl. the EMA teacher) differ
# between ranks
weight_sync_hook = dict(type='WeightSyncCheckHook', interval=1000)
# CPU training: reuse freed memory instead of faulting it in again every
# step (docs/performance.md); does nothing on GPUs
freed_memory_hook = dict(type='RetainFreedMemoryHook')
custom_hooks = [iter_seed_hook, weight_sync_hook, freed_memory_hook]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))

# MMEngine's LogProcessor plus a `mode` key in the training records of
# vis_data/<timestamp>.json, which MMAction2's analyze_logs.py needs
log_processor = dict(
    type='ModeTaggedLogProcessor', window_size=20, by_epoch=True)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, diff_rank_seed=True, deterministic=False)
