#!/usr/bin/env bash
# Seed sweep of the small-data evidence (docs/benchmarks.md, the "default
# against random init" tables): pretraining runs of every arm and seed, the
# teacher probes of every one of them, the same protocols from a randomly
# initialised encoder, then tools/analysis/report.py over all of it.
#
# Usage: bash tools/analysis/seed_sweep.sh DATASET [ROOT]
#   DATASET: msr | utd | nucla (the converted annotation file of
#            docs/datasets.md under data/skeleton/);
#   ROOT:    work directories (default work_dirs/sweep_DATASET); the report
#            goes to ROOT/report.
# Environment:
#   SEEDS      pretraining seeds, and the seeds of the random encoders
#              (default "0 1 2");
#   ARMS       pretraining configs: default (the dataset's own 100-epoch
#              config), pooledlong (MSR Action3D's default: that config on
#              the three datasets' pooled training splits, 58 epochs,
#              configs/skeleton2vec/*_pooled-msr-action3d-*), the name
#              of an ablation of configs/skeleton2vec/ablations/
#              for that dataset (randommask, mampprior and emaramp on all
#              three; ratio0.9 on MSR Action3D and UTD-MHAD; ema0.97,
#              lntarget, decoder64 (a decoder of width 64), long (200
#              epochs) and pooled (the three
#              datasets' training splits, 30 epochs) and lr5e-4 (half
#              the peak learning rate) on MSR Action3D;
#              tubemask on N-UCLA), pooledlong-NAME for an ablation
#              of the pooled default (pooledlong-randommask and
#              pooledlong-mampprior on MSR Action3D), or
#              random-init for the random encoders (default
#              "default random-init");
#   PROTOCOLS  linear | semi (10% of the labels) | ft (default all three);
#   PRE_OPTIONS, PROBE_OPTIONS
#              further --cfg-options of every pretraining run and of every
#              probe (random encoders included), e.g. a narrower encoder:
#              PRE_OPTIONS="model.backbone.embed_dims=64 ..." with the
#              matching PROBE_OPTIONS (default none);
#   JOBS       runs at a time (default 2; each with OMP_NUM_THREADS=1
#              unless that is set);
#   PYTHON     interpreter (default python3);
#   SMOKE=1    every run for one epoch on 32 clips, pooled pretraining on
#              16 clips of each dataset (a check of the script);
#   DRY_RUN=1  print the jobs (NAME KIND CONFIG OPTIONS) and stop.
# A run that finished leaves ROOT/NAME/DONE and is skipped when the sweep
# runs again; an interrupted one resumes from its last checkpoint.
# Probes of a pretrained encoder keep the protocol's seed, those of a
# random encoder take the seed S, which draws the encoder.
set -euo pipefail
DATASET=${1:?msr|utd|nucla}
ROOT=${2:-work_dirs/sweep_$DATASET}
case $DATASET in
  msr) TAG=msr-action3d-xsub ;;
  utd) TAG=utd-mhad-xsub ;;
  nucla) TAG=nucla-xview ;;
  *) echo "unknown dataset $DATASET (msr, utd or nucla)" >&2; exit 2 ;;
esac
export PY=${PYTHON:-python3} OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} ROOT
SEEDS=${SEEDS:-0 1 2}
ARMS=${ARMS:-default random-init}
PROTOCOLS=${PROTOCOLS:-linear semi ft}
JOBS=${JOBS:-2}
C=configs/skeleton2vec
B=$C/benchmarks
mkdir -p "$ROOT/logs"

pretrain_config() {  # the pretraining config of an arm
  local found
  case $1 in
    default) echo "$C/skeleton2vec_stt-4x128_1xb32-100e_$TAG-keypoint-3d.py" ;;
    pooledlong)
      found=("$C"/skeleton2vec_stt-4x128_1xb32-*e_pooled-"$TAG"-keypoint-3d.py)
      echo "${found[0]}" ;;
    pooledlong-*)  # an ablation of the pooled default
      found=("$C"/ablations/skeleton2vec-"${1#pooledlong-}"_stt-4x128_1xb32-*e_pooled-"$TAG"-keypoint-3d.py)
      echo "${found[0]}" ;;
    *)  # the ablation's schedule is in its name (100e, 200e, ...)
      found=("$C"/ablations/skeleton2vec-"$1"_stt-4x128_1xb32-*e_"$TAG"-keypoint-3d.py)
      echo "${found[0]}" ;;
  esac
}

protocol_config() {  # the downstream config of a protocol
  case $1 in
    linear) echo "$B/skeleton2vec-linear_stt-4x128_1xb32-100e_$TAG-keypoint-3d.py" ;;
    semi) echo "$B/skeleton2vec-semi10pct_stt-4x128_1xb16-30e_$TAG-keypoint-3d.py" ;;
    ft) echo "$B/skeleton2vec-finetune_stt-4x128_1xb16-30e_$TAG-keypoint-3d.py" ;;
    *) echo "unknown protocol $1 (linear, semi or ft)" >&2; return 2 ;;
  esac
}

smoke() {  # extra --cfg-options of SMOKE=1; $1: pre, down or semi; $2: config
  [ "${SMOKE:-0}" = 1 ] || return 0
  local data=train_dataloader.dataset.indices=32
  [ "$1" = semi ] && data=train_dataloader.dataset.dataset.indices=32
  if [ "$1" = pre ]; then
    # pooled data (read from the resolved config, bases included): a
    # ConcatDataset takes no indices, each of its parts does
    data=$($PY -c "import sys; from mmengine.config import Config
dataset = Config.fromfile(sys.argv[1]).train_dataloader.dataset
parts = dataset.datasets if dataset.type == 'ConcatDataset' else []
print(' '.join(f'train_dataloader.dataset.datasets.{i}.indices=16'
               for i in range(len(parts))) or sys.argv[2])" "$2" "$data")
  fi
  echo "train_cfg.max_epochs=1 $data train_dataloader.num_workers=0" \
    "train_dataloader.persistent_workers=False"
  [ "$1" = pre ] && return 0
  echo "train_cfg.val_interval=1 val_dataloader.dataset.indices=32" \
    "val_dataloader.num_workers=0 val_dataloader.persistent_workers=False" \
    "test_dataloader.dataset.indices=32 test_dataloader.num_workers=0" \
    "test_dataloader.persistent_workers=False"
}

# The jobs, one line each: NAME KIND CONFIG [cfg options...]. KIND pre
# trains; down trains then tests the last checkpoint. A down job whose
# options name @pre_X reads the last checkpoint of pretraining run pre_X.
probe_job() {  # probe_job PROTOCOL NAME OPTIONS...: one downstream job line
  local p=$1 name=$2 kind=down; shift 2
  [ "$p" = semi ] && kind=semi
  echo "${p}_$name $kind $(protocol_config "$p") $* ${PROBE_OPTIONS:-}"
}

for p in $PROTOCOLS; do protocol_config "$p" > /dev/null || exit 2; done
pretraining_jobs=() random_jobs=() pretrained_jobs=()
for arm in $ARMS; do
  for s in $SEEDS; do
    if [ "$arm" = random-init ]; then
      for p in $PROTOCOLS; do
        random_jobs+=("$(probe_job "$p" "rand_$s" \
          model.backbone.init_cfg=None "randomness.seed=$s")")
      done
      continue
    fi
    cfg=$(pretrain_config "$arm")
    [ -f "$cfg" ] || { echo "no config $cfg for arm $arm" >&2; exit 2; }
    pretraining_jobs+=("pre_${arm}_$s pre $cfg randomness.seed=$s ${PRE_OPTIONS:-}")
    for p in $PROTOCOLS; do
      pretrained_jobs+=("$(probe_job "$p" "${arm}_$s" \
        "model.backbone.init_cfg.checkpoint=@pre_${arm}_$s")")
    done
  done
done

run_job() {  # run_job "NAME KIND CONFIG [options...]"
  set -- $1
  local name=$1 kind=$2 cfg=$3; shift 3
  local wd=$ROOT/$name log=$ROOT/logs/$name
  if [ -f "$wd/DONE" ]; then echo "skip (done): $name"; return 0; fi
  local opts=() o
  for o in "$@"; do  # @pre_X: that run's last checkpoint
    if [[ $o == *=@* ]]; then
      local pre=$ROOT/${o##*=@}
      if [ ! -f "$pre/DONE" ]; then
        echo "FAILED: $name (its pretraining run $pre did not finish)" >&2
        return 1
      fi
      o="${o%%=@*}=$(cat "$pre/last_checkpoint")"
    fi
    opts+=("$o")
  done
  local resume=()
  [ -f "$wd/last_checkpoint" ] && resume=(--resume)
  local stage=pre; [ "$kind" != pre ] && stage=$kind
  # shellcheck disable=SC2046
  if ! $PY tools/train.py "$cfg" --work-dir "$wd" "${resume[@]}" \
      --cfg-options "${opts[@]}" $(smoke "$stage" "$cfg") > "$log.train.txt" 2>&1; then
    echo "FAILED: $name (see $log.train.txt)" >&2; return 1
  fi
  if [ "$kind" != pre ]; then
    # shellcheck disable=SC2046
    if ! $PY tools/test.py "$cfg" "$(cat "$wd/last_checkpoint")" \
        --work-dir "$wd" --cfg-options "${opts[@]}" $(smoke "$stage" "$cfg") \
        > "$log.test.txt" 2>&1; then
      echo "FAILED: $name test (see $log.test.txt)" >&2; return 1
    fi
  fi
  touch "$wd/DONE"
  echo "done: $name"
}
export -f run_job smoke

run_all() {  # run the job lines of the arguments, JOBS at a time
  [ $# -gt 0 ] || return 0
  printf '%s\n' "$@" | xargs -d '\n' -P "$JOBS" -I{} bash -c 'run_job "$1"' _ {}
}

if [ "${DRY_RUN:-0}" = 1 ]; then
  printf '%s\n' "${pretraining_jobs[@]}" "${random_jobs[@]}" \
    "${pretrained_jobs[@]}" | grep -v '^$' || true
  exit 0
fi
echo "$DATASET: ${#pretraining_jobs[@]} pretraining runs," \
  "${#pretrained_jobs[@]} probes of them, ${#random_jobs[@]} of random" \
  "encoders; $JOBS at a time, work directories in $ROOT"
# pretraining first (the longest runs), the random encoders fill the slots
status=0
run_all "${pretraining_jobs[@]}" "${random_jobs[@]}" || status=1
run_all "${pretrained_jobs[@]}" || status=1
$PY tools/analysis/report.py "$ROOT" --out "$ROOT/report" \
  --title "Seed sweep: $TAG ($ARMS; seeds $SEEDS)" > "$ROOT/logs/report.txt" 2>&1 \
  || { echo "FAILED: report (see $ROOT/logs/report.txt)" >&2; exit 1; }
cat "$ROOT/report/seeds.md"
exit $status
