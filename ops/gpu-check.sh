#!/usr/bin/env bash
# Runs the deployment-mode benchmark on a machine with an NVIDIA GPU, in one go, and leaves the report folder in
# the given output directory.
#
#   ops/gpu-check.sh OUTPUT_DIR [FRAMES]
#
# FRAMES (default 40) is the number of frames read per mode at saturation and run by the ONNX Runtime baseline.
# The latency load point sends half as many. With the default the run takes a few minutes: most of it is process
# start-up and model loading, six times over.
#
# Needs: the .NET 10 SDK (dotnet on the PATH), an NVIDIA driver (nvidia-smi), and the CUDA 12 and cuDNN 9
# runtime libraries that ONNX Runtime's CUDA execution provider loads (ops/docker/cloud.Dockerfile's gpu target
# has them). It installs the Debian packages of ops/install-deps.sh with apt-get, and NuGet restores the rest;
# nothing else is downloaded.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: ops/gpu-check.sh OUTPUT_DIR [FRAMES]" >&2
  exit 2
fi

output=$(mkdir -p "$1" && cd "$1" && pwd)
frames=${2:-40}
if ! [[ "$frames" =~ ^[1-9][0-9]*$ ]]; then
  echo "gpu-check: FRAMES must be a positive whole number, got '$frames'" >&2
  exit 2
fi

cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "gpu-check: dotnet not found; install the .NET 10 SDK first" >&2
  exit 1
fi

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-check: nvidia-smi not found; this check needs an NVIDIA GPU with its driver installed" >&2
  exit 1
fi

nvidia-smi > "$output/nvidia-smi.txt"
ops/install-deps.sh

echo "gpu-check: building Release"
dotnet build pipeline/GanStream.Cli -c Release -v q -nologo

echo "gpu-check: running the bench on $frames frames per mode"
status=0
timeout 30m dotnet pipeline/GanStream.Cli/bin/Release/net10.0/ganstream.dll bench \
  --execution-provider Cuda \
  --frames "$frames" \
  --latency-frames $(( (frames + 1) / 2 )) \
  --output "$output/bench" 2>&1 | tee "$output/bench-console.log" || status=$?

echo "gpu-check: report in $output/bench (bench.md, bench.json, charts, runs/*/ logs); exit status $status"
exit "$status"
