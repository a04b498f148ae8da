"""tools/slurm_train.sh builds the srun command line (srun is faked)."""
import os
import os.path as osp
import subprocess

from repo_paths import REPO_ROOT as REPO

SCRIPT = osp.join(REPO, 'tools', 'slurm_train.sh')


def run_script(tmp_path, *args, **env):
    fake = tmp_path / 'srun'
    fake.write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$@"\n')
    fake.chmod(0o755)
    proc = subprocess.run(
        ['bash', SCRIPT, *args],
        env=dict(os.environ, PATH=f'{tmp_path}:{os.environ["PATH"]}', **env),
        capture_output=True, text=True, timeout=30)
    return proc


def test_srun_command_line(tmp_path):
    proc = run_script(tmp_path, 'gpu', 's2v', 'cfg.py', '--resume',
                      GPUS='8', GPUS_PER_NODE='4', SRUN_ARGS='--requeue -N2')
    assert proc.returncode == 0, proc.stderr
    args = proc.stdout.splitlines()
    assert args[:7] == [
        '--partition=gpu', '--job-name=s2v', '--gres=gpu:4', '--ntasks=8',
        '--ntasks-per-node=4', '--cpus-per-task=5', '--kill-on-bad-exit=1'
    ]
    assert args[7:9] == ['--requeue', '-N2']
    assert args[9:11] == ['python', '-u']
    assert args[11].endswith('tools/train.py')
    assert args[12:] == ['cfg.py', '--launcher', 'slurm', '--resume']


def test_defaults_and_usage(tmp_path):
    proc = run_script(tmp_path, 'gpu', 's2v', 'cfg.py', GPUS='2')
    assert '--gres=gpu:2' in proc.stdout and '--ntasks=2' in proc.stdout
    proc = run_script(tmp_path, 'gpu')
    assert proc.returncode == 2 and 'usage:' in proc.stderr
