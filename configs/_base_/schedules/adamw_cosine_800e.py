# Pretraining schedule of the authors' final recipe: 800 epochs of AdamW
# (lr 1e-3 for a global batch of 128 = 2 x 64, betas (0.9, 0.95), weight
# decay 0.05, none on norms, biases, position embeddings and the mask token:
# as adamw_cosine_400e.py), linear warm-up for 20 epochs, then cosine to
# 1e-5; gradients clipped at norm 4.0; the EMA teacher's momentum rises
# linearly from 0.9999 to 1.0 over the whole run.
_base_ = './adamw_cosine_400e.py'

max_epochs = 800
warmup_epochs = 20

optim_wrapper = dict(optimizer=dict(lr=1e-3), clip_grad=dict(max_norm=4.0))

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

train_cfg = dict(max_epochs=max_epochs)

# anneal_iters=None: the ramp spans the whole run (runner.max_iters)
ema_hook = dict(type='EMATeacherHook', momentum=0.9999, end_momentum=1.0,
                anneal_iters=None)
