"""Orderly shutdown of ``torch.distributed`` at the end of a tool."""
import gc

import torch.distributed as dist


def shutdown_distributed() -> None:
    """Destroy all process groups and free them while Python still runs.

    After training, objects that still reference the gloo process groups
    (the runner and its model wrapper among them) sit in reference cycles,
    so ``destroy_process_group`` alone leaves the groups, and their
    ``pt_gloo_runloop`` / ``gloo_tcp_loop`` threads, alive until interpreter
    exit. Torn down there by C++ destructors, a still-joinable thread calls
    ``std::terminate`` and the rank dies with SIGABRT after a successful run
    (seen in 2-process CPU runs about one time in three). Collecting the
    cycles here joins those threads while Python still runs. A no-op when
    no process group was initialised.
    """
    if not (dist.is_available() and dist.is_initialized()):
        return
    dist.destroy_process_group()
    gc.collect()
