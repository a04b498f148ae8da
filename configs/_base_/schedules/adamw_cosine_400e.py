# Pretraining schedule of the paper: 400 epochs of AdamW (lr 5e-4, betas
# (0.9, 0.95), weight decay 0.05), linear warm-up for 20 epochs, then cosine.
max_epochs = 400
warmup_epochs = 20

optim_wrapper = dict(
    # stops on a non-finite loss/gradient before the step
    # (on_nonfinite='skip' drops such steps instead)
    type='DivergenceGuardOptimWrapper',
    optimizer=dict(
        type='AdamW', lr=5e-4, betas=(0.9, 0.95), weight_decay=0.05),
    # no decay on norms, biases, position embeddings and the mask token
    paramwise_cfg=dict(
        norm_decay_mult=0.0,
        bias_decay_mult=0.0,
        custom_keys={
            'pos_embed': dict(decay_mult=0.0),
            'mask_token': dict(decay_mult=0.0)
        }),
    clip_grad=dict(max_norm=1.0))

param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - warmup_epochs,
        eta_min=1e-6,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True)
]

# resumes exactly inside an epoch; bit for bit with the train dataloader's
# sampler=dict(type='ResumableSampler') (the pretraining configs name it) and
# IterSeedHook in custom_hooks, and the log warns about either one missing
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs)

# the teacher's updater: configs put it in their `custom_hooks`
ema_hook = dict(type='EMATeacherHook', momentum=0.9998, end_momentum=0.99999)

# lr above is for a global batch of 128; `--auto-scale-lr` rescales it.
auto_scale_lr = dict(enable=False, base_batch_size=128)
