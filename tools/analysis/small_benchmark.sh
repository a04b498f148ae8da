#!/usr/bin/env bash
# Small-data evidence for docs/benchmarks.md on N-UCLA (cross-view, converted
# with tools/data/convert_nucla.py into data/skeleton/nucla_3d.pkl):
#
#   pretrain    Skeleton2vec with motion-aware tube masking, plain tube
#               masking (motion_aware=False) and random masking (tube_len=1),
#               and the low-level baselines (masked motion, masked joint);
#               then export every student encoder (and the teacher of the
#               main run) with tools/misc/export_backbone.py.
#   downstream  linear probe of every pretrained encoder, of the main run's
#               teacher and of a randomly initialised encoder; 10% semi-
#               supervised and full fine-tuning from the main run and from
#               scratch; each followed by tools/test.py on the last epoch.
#   finetune    only the two full fine-tuning runs of 'downstream'.
#   report      tools/analysis/report.py over all work directories (tables,
#               curves, t-SNE of the main run and of the random encoder).
#
# Usage: bash tools/analysis/small_benchmark.sh PHASE [ROOT] [OUT]
#   ROOT: work directories (default work_dirs/bench_nucla);
#   OUT: report folder (default ROOT/report).
# Environment: PYTHON (interpreter command, default python3); FINETUNE=0
# skips the full fine-tuning runs; SMOKE=1 runs every job for one epoch on
# 32 samples (a check of the script itself).
set -euo pipefail
PHASE=${1:?pretrain|downstream|finetune|report}
ROOT=${2:-work_dirs/bench_nucla}
OUT=${3:-$ROOT/report}
PY=${PYTHON:-python3}
DS=nucla-xview-keypoint-3d
C=configs/skeleton2vec
B=$C/benchmarks
mkdir -p "$ROOT/logs"

smoke() {  # extra --cfg-options for SMOKE=1; $1: 'pre', 'down' or 'semi'
  if [ "${SMOKE:-0}" != 1 ]; then return; fi
  local data=train_dataloader.dataset.indices=32
  [ "$1" = semi ] && data=train_dataloader.dataset.dataset.indices=64
  echo "train_cfg.max_epochs=1 $data train_dataloader.num_workers=0" \
    "train_dataloader.persistent_workers=False"
  [ "$1" != pre ] && echo "train_cfg.val_interval=1" \
    "val_dataloader.dataset.indices=32 val_dataloader.num_workers=0" \
    "val_dataloader.persistent_workers=False"
  return 0
}

run() {  # run NAME CMD...: log to ROOT/logs/NAME.txt, fail loudly
  local name=$1; shift
  if ! "$@" > "$ROOT/logs/$name.txt" 2>&1; then
    echo "FAILED: $name (see $ROOT/logs/$name.txt)" >&2
    tail -20 "$ROOT/logs/$name.txt" >&2
    return 1
  fi
  echo "done: $name"
}

last_ckpt() { cat "$1/last_checkpoint"; }

train_test() {  # train_test NAME CONFIG KIND [cfg options...]
  local name=$1 cfg=$2 kind=$3; shift 3
  local wd=$ROOT/$name
  # shellcheck disable=SC2046
  run "$name" $PY tools/train.py "$cfg" --work-dir "$wd" \
    --cfg-options "$@" $(smoke "$kind") &&
  run "$name.test" $PY tools/test.py "$cfg" "$(last_ckpt "$wd")" \
    --work-dir "$wd" --cfg-options "$@" \
    $( [ "${SMOKE:-0}" = 1 ] && echo test_dataloader.dataset.indices=32 \
       test_dataloader.num_workers=0 test_dataloader.persistent_workers=False)
}

PRE=(
  "pre_s2v $C/skeleton2vec_stt-4x128_1xb32-100e_$DS.py"
  "pre_s2v-tube $C/ablations/skeleton2vec-tubemask_stt-4x128_1xb32-100e_$DS.py"
  "pre_s2v-random $C/ablations/skeleton2vec-randommask_stt-4x128_1xb32-100e_$DS.py"
  "pre_maskedmotion $C/baselines/maskedmotion_stt-4x128_1xb32-100e_$DS.py"
  "pre_maskedjoint $C/baselines/maskedjoint_stt-4x128_1xb32-100e_$DS.py"
)
RANDOM_INIT="model.backbone.init_cfg=None"
# exported encoders (tools/misc/export_backbone.py) carry the 'backbone.'
# prefix; the protocols' default 'teacher.' reads a pretraining checkpoint
EXPORTED="model.backbone.init_cfg.prefix=backbone."
LIN=$B/skeleton2vec-linear_stt-4x128_1xb32-100e_$DS.py
SEMI=$B/skeleton2vec-semi10pct_stt-4x128_1xb16-30e_$DS.py
FT=$B/skeleton2vec-finetune_stt-4x128_1xb16-30e_$DS.py

case $PHASE in
pretrain)
  pids=()
  for job in "${PRE[@]}"; do
    set -- $job
    # shellcheck disable=SC2046
    run "$1" $PY tools/train.py "$2" --work-dir "$ROOT/$1" \
      --cfg-options randomness.seed=0 $(smoke pre) &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  for job in "${PRE[@]}"; do
    set -- $job
    run "$1.export" $PY tools/misc/export_backbone.py \
      "$(last_ckpt "$ROOT/$1")" "$ROOT/$1/backbone.pth"
  done
  run pre_s2v.export-teacher $PY tools/misc/export_backbone.py \
    "$(last_ckpt "$ROOT/pre_s2v")" "$ROOT/pre_s2v/teacher.pth" \
    --source teacher
  ;;
downstream)
  pids=()
  for job in "${PRE[@]}"; do
    set -- $job
    train_test "linear_${1#pre_}" "$LIN" down \
      "model.backbone.init_cfg.checkpoint=$ROOT/$1/backbone.pth" "$EXPORTED" &
    pids+=($!)
  done
  train_test linear_s2v-teacher "$LIN" down \
    "model.backbone.init_cfg.checkpoint=$ROOT/pre_s2v/teacher.pth" "$EXPORTED" &
  pids+=($!)
  train_test linear_random "$LIN" down "$RANDOM_INIT" & pids+=($!)
  train_test semi10_s2v "$SEMI" semi \
    "model.backbone.init_cfg.checkpoint=$ROOT/pre_s2v/backbone.pth" "$EXPORTED" &
  pids+=($!)
  train_test semi10_scratch "$SEMI" semi "$RANDOM_INIT" & pids+=($!)
  if [ "${FINETUNE:-1}" = 1 ]; then
    train_test finetune_s2v "$FT" down \
      "model.backbone.init_cfg.checkpoint=$ROOT/pre_s2v/backbone.pth" "$EXPORTED" &
    pids+=($!)
    train_test finetune_scratch "$FT" down "$RANDOM_INIT" & pids+=($!)
  fi
  status=0
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  exit $status
  ;;
finetune)
  pids=()
  train_test finetune_s2v "$FT" down \
    "model.backbone.init_cfg.checkpoint=$ROOT/pre_s2v/backbone.pth" "$EXPORTED" &
  pids+=($!)
  train_test finetune_scratch "$FT" down "$RANDOM_INIT" & pids+=($!)
  status=0
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  exit $status
  ;;
report)
  run report $PY tools/analysis/report.py "$ROOT" --out "$OUT" \
    --title 'Small-data evidence: N-UCLA cross-view' \
    --tsne skeleton2vec "$LIN" \
    "$ROOT/pre_s2v/backbone.pth" \
    --tsne random-init "$LIN" \
    none
  cat "$OUT/results.md"
  ;;
*)
  echo "unknown phase $PHASE" >&2
  exit 2
  ;;
esac
