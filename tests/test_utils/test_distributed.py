import json
import os.path as osp
import subprocess
import sys
import textwrap

import pytest

# One gloo rank whose process group is referenced from a reference cycle, as
# the runner's model wrapper is after training; print the gloo threads alive
# before and after the tool's shutdown.
SCRIPT = textwrap.dedent('''
    import glob, json, socket
    import torch
    import torch.distributed as dist
    from mmskel2vec.utils import shutdown_distributed

    def gloo_threads():
        names = []
        for comm in glob.glob('/proc/self/task/*/comm'):
            try:
                names.append(open(comm).read().strip())
            except OSError:  # the thread ended meanwhile
                pass
        return sorted(n for n in names if 'gloo' in n)

    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=0, world_size=1)
    dist.all_reduce(torch.ones(1))

    class Wrapper:
        pass

    wrapper = Wrapper()
    wrapper.process_group, wrapper.itself = dist.group.WORLD, wrapper
    del wrapper
    before = gloo_threads()
    shutdown_distributed()
    print(json.dumps([before, gloo_threads(), dist.is_initialized()]))
''')


@pytest.mark.skipif(not osp.isdir('/proc/self/task'), reason='needs /proc')
def test_shutdown_joins_gloo_threads_held_by_cycles():
    out = subprocess.run([sys.executable, '-c', SCRIPT],
                         capture_output=True, text=True, check=True,
                         timeout=120)
    before, after, initialized = json.loads(out.stdout.splitlines()[-1])
    assert 'pt_gloo_runloop' in before
    assert after == [] and not initialized


def test_shutdown_without_process_group_is_a_no_op():
    from mmskel2vec.utils import shutdown_distributed
    shutdown_distributed()
