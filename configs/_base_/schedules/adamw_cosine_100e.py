# Pretraining schedule of the small real datasets (a few hundred clips):
# 100 epochs of AdamW (lr 1e-3 for a batch of 32, betas (0.9, 0.95), weight
# decay 0.05, clip 1.0), 10 warm-up epochs, cosine to 1e-5; the EMA teacher
# from 0.996 to 0.9999 over the run (a few thousand iterations, where the
# paper's 0.9999 -> 1.0 would leave the teacher at its initialisation).
_base_ = './adamw_cosine_400e.py'

max_epochs = 100
warmup_epochs = 10
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0,
         end=warmup_epochs, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs,
         eta_min=1e-5, by_epoch=True, begin=warmup_epochs, end=max_epochs,
         convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
ema_hook = dict(type='EMATeacherHook', momentum=0.996, end_momentum=0.9999)
auto_scale_lr = dict(base_batch_size=32)
