"""Hook that keeps freed memory in the heap for CPU training."""
from mmengine.hooks import Hook
from mmengine.logging import print_log

from mmaction.registry import HOOKS
from mmskel2vec.utils import retain_freed_memory


@HOOKS.register_module()
class RetainFreedMemoryHook(Hook):
    """Before training on CPU, call ``retain_freed_memory``.

    On CPU every training step otherwise maps and faults in its large
    tensors afresh (see ``mmskel2vec.utils.retain_freed_memory``); with
    the heap kept, the paper's pretraining step runs 1.3x faster for about
    13% more peak memory (``docs/performance.md``). Nothing is done when
    the model has a parameter off the CPU, or outside glibc (logged). The
    configs list it in ``custom_hooks``; leave it out to turn it off.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        """Apply the allocator setting if the model trains on CPU."""
        devices = {p.device.type for p in runner.model.parameters()}
        if devices != {'cpu'}:
            return
        applied = retain_freed_memory()
        print_log(
            'CPU training: freed memory is kept in the heap for reuse'
            if applied else 'CPU training: not glibc, the allocator is left '
            'as it is', logger='current')
