import subprocess
import sys
import textwrap

import pytest

from mmskel2vec.utils.heap import _glibc

# A "training step" allocates, fills and frees 272 MiB in six tensors; print
# the page faults of steps 3 and 4 (the heap reaches its size in step 2).
SCRIPT = textwrap.dedent('''
    import resource, sys
    import torch
    from mmskel2vec.utils import retain_freed_memory
    if sys.argv[1] == 'retain':
        assert retain_freed_memory()
    def step():
        tensors = [torch.ones(n * 2**20) for n in (12, 16, 4, 12, 16, 8)]
        del tensors
    step()
    step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    step()
    step()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
''')


def steady_state_faults(mode: str) -> int:
    out = subprocess.run([sys.executable, '-c', SCRIPT, mode],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1])


@pytest.mark.skipif(_glibc() is None, reason='needs glibc')
def test_freed_memory_is_reused_without_page_faults():
    # 2 x 272 MiB in 4 KiB pages: about 139000 faults when mapped anew
    assert steady_state_faults('default') > 100000
    assert steady_state_faults('retain') < 10000
