"""Settings that shrink the demo pretraining config for tests.

Fixtures build configs and runners from them (``tiny_demo_cfg`` and
``tiny_runner`` in ``conftest.py``); tests that run the command-line tools
pass ``TINY_DEMO_CLI`` to ``--cfg-options``.
"""

#: Settings that shrink the demo's model: a 1-block, 16-wide encoder and
#: decoder with 2 heads, targets from the last teacher block.
TINY_MODEL = {
    'model.backbone.depth': 1, 'model.backbone.embed_dims': 16,
    'model.backbone.num_heads': 2, 'model.head.in_channels': 16,
    'model.head.embed_dims': 16, 'model.head.depth': 1,
    'model.head.num_heads': 2, 'model.target_generator.top_k': 1
}

#: Settings that shrink the demo pretraining config to a run of seconds:
#: ``TINY_MODEL`` on 12 synthetic clips, 3 iterations of batch 4 per epoch,
#: one epoch, a log line every iteration.
TINY_DEMO = {
    **TINY_MODEL,
    'train_dataloader.dataset.num_samples': 12,
    'train_dataloader.batch_size': 4, 'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
    'train_cfg.max_epochs': 1, 'default_hooks.logger.interval': 1
}

#: ``TINY_MODEL`` and ``TINY_DEMO`` as ``--cfg-options KEY=VALUE`` arguments.
TINY_MODEL_CLI = [f'{key}={value}' for key, value in TINY_MODEL.items()]
TINY_DEMO_CLI = [f'{key}={value}' for key, value in TINY_DEMO.items()]
