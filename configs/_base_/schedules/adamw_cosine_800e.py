# Pretraining schedule of the authors' final recipe: 800 epochs of AdamW
# (lr 1e-3 for a global batch of 128 = 2 x 64, betas (0.9, 0.95), weight
# decay 0.05), linear warm-up for 20 epochs, then cosine to 1e-5; gradients
# clipped at norm 4.0; the EMA teacher's momentum rises linearly from 0.9999
# to 1.0 over the whole run.
max_epochs = 800
warmup_epochs = 20

optim_wrapper = dict(
    # stops on a non-finite loss/gradient before the step
    # (on_nonfinite='skip' drops such steps instead)
    type='DivergenceGuardOptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-3, betas=(0.9, 0.95), weight_decay=0.05),
    # no decay on norms, biases, position embeddings and the mask token
    paramwise_cfg=dict(
        norm_decay_mult=0.0,
        bias_decay_mult=0.0,
        custom_keys={
            'pos_embed': dict(decay_mult=0.0),
            'mask_token': dict(decay_mult=0.0)
        }),
    clip_grad=dict(max_norm=4.0))

param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - warmup_epochs,
        eta_min=1e-5,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True)
]

# resumes exactly inside an epoch, per-sample seeded augmentation
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs)

# anneal_iters=None: the ramp spans the whole run (runner.max_iters)
custom_hooks = [
    dict(type='EMATeacherHook', momentum=0.9999, end_momentum=1.0,
         anneal_iters=None)
]

# lr above is for a global batch of 128; `--auto-scale-lr` rescales it.
auto_scale_lr = dict(enable=False, base_batch_size=128)
