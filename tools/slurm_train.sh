#!/usr/bin/env bash
# Distributed training on a Slurm cluster: srun starts one task per GPU and
# tools/train.py joins them with `--launcher slurm` (mmengine reads
# SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID and SLURM_NODELIST; the first
# node of the allocation is the rendezvous host, MASTER_PORT defaults to
# 29500).
#
# Usage:
#   [GPUS=8] [GPUS_PER_NODE=8] [CPUS_PER_TASK=5] [SRUN_ARGS="..."] \
#       bash tools/slurm_train.sh PARTITION JOB_NAME CONFIG [train.py flags]
# Example, 2 nodes x 4 GPUs, resuming automatically after a preemption:
#   GPUS=8 GPUS_PER_NODE=4 SRUN_ARGS="--requeue" bash tools/slurm_train.sh \
#       gpu s2v configs/skeleton2vec/<config>.py --resume
# See docs/reliability.md (global batch, learning-rate scaling, resume).
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 PARTITION JOB_NAME CONFIG [train.py flags...]" >&2
    exit 2
fi
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-$((GPUS < 8 ? GPUS : 8))}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
ROOT=$(dirname "$0")/..

# SRUN_ARGS is split into words on purpose (several srun options).
# shellcheck disable=SC2086
PYTHONPATH="$ROOT:${PYTHONPATH:-}" \
srun --partition="$PARTITION" \
    --job-name="$JOB_NAME" \
    --gres=gpu:"$GPUS_PER_NODE" \
    --ntasks="$GPUS" \
    --ntasks-per-node="$GPUS_PER_NODE" \
    --cpus-per-task="$CPUS_PER_TASK" \
    --kill-on-bad-exit=1 \
    $SRUN_ARGS \
    python -u "$ROOT/tools/train.py" "$CONFIG" --launcher slurm "${@:4}"
