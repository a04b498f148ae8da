"""Training hooks."""
from .ema_teacher_hook import EMATeacherHook, ema_momentum, ema_update

__all__ = ['EMATeacherHook', 'ema_momentum', 'ema_update']
