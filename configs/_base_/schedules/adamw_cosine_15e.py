# Schedule of the CPU demos: the AdamW of adamw_cosine_100e.py (lr 1e-3,
# betas (0.9, 0.95), weight decay 0.05, gradients clipped at norm 1.0) for
# 15 epochs at a batch of 16: 2 warm-up epochs, then cosine to 1e-5. The
# demos name their teacher (EMATeacherHook) in their own custom_hooks.
_base_ = './adamw_cosine_100e.py'

max_epochs = 15
warmup_epochs = 2
# the base's warm-up and cosine, over these epochs
param_scheduler = [
    dict(_base_.param_scheduler[0], end=warmup_epochs),
    dict(_base_.param_scheduler[1], T_max=max_epochs - warmup_epochs,
         begin=warmup_epochs, end=max_epochs)
]
train_cfg = dict(max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=16)
