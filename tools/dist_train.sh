#!/usr/bin/env bash
# Distributed training, as MMAction2's tools/dist_train.sh:
#   bash tools/dist_train.sh CONFIG GPUS [train.py args...]
# GPUS processes on this node (one per GPU; on a machine without CUDA they train on
# the CPU over gloo). Multi-node: set NNODES, NODE_RANK, MASTER_ADDR, PORT.
set -euo pipefail

CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python3}

PYTHONPATH="$(dirname "$0")/..":${PYTHONPATH:-} \
"$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$(dirname "$0")/train.py" \
    "$CONFIG" \
    --launcher pytorch "${@:3}"
