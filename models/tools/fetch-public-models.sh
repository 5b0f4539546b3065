#!/usr/bin/env bash
# Fetch the UpscalerJS ESRGAN npm packages, convert their TF.js models to ONNX
# and verify every result against TF.js.
#
# Usage: models/tools/fetch-public-models.sh [--no-install] [MODEL...]
#
#   MODEL         esrgan-{slim,medium,thick}-x{2,3,4,8}. Without MODEL, the thick
#                 models esrgan-thick-x2 and esrgan-thick-x4 are built, which are
#                 too large to commit. "all" stands for the four committed slim and
#                 medium models plus those two.
#   --no-install  use the packages already in tools/reference/node_modules
#                 instead of running `npm ci` there.
#
# Environment: PYTHON (default /usr/bin/python3, which needs torch, onnx, numpy
# and PIL), MODEL_VERSION (version folder to write, default 1).
#
# For each model it writes <models>/<name>/<version>/{model.onnx, manifest.json,
# reference/input.npy, reference/output.npy}, then runs verify_conversion.py
# (PyTorch module against TF.js) and reference/onnx_check.mjs (model.onnx in
# onnxruntime-web against TF.js). It stops at the first failure.

set -euo pipefail

tools_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
models_dir=$(dirname "$tools_dir")
reference_dir=$tools_dir/reference
python=${PYTHON:-/usr/bin/python3}
model_version=${MODEL_VERSION:-1}

install=1
models=()
for argument in "$@"; do
    case $argument in
        --no-install) install=0 ;;
        all)
            models+=(esrgan-slim-x2 esrgan-slim-x4 esrgan-medium-x2 esrgan-medium-x4)
            models+=(esrgan-thick-x2 esrgan-thick-x4)
            ;;
        -h | --help)
            sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) models+=("$argument") ;;
    esac
done
if [ ${#models[@]} -eq 0 ]; then
    models=(esrgan-thick-x2 esrgan-thick-x4)
fi

if [ "$install" -eq 1 ]; then
    echo "== npm ci in $reference_dir"
    (cd "$reference_dir" && npm ci --no-audit --no-fund)
fi

for model in "${models[@]}"; do
    if [[ ! $model =~ ^esrgan-(slim|medium|thick)-x([2348])$ ]]; then
        echo "error: unknown model '$model', expected esrgan-{slim,medium,thick}-x{2,3,4,8}" >&2
        exit 2
    fi
    size=${BASH_REMATCH[1]}
    scale=${BASH_REMATCH[2]}

    # Architecture parameters and value range as stated by getModelDefinition.js
    # and esrgan.js in the 1.0.0 packages.
    case $size in
        slim) architecture="RDN, C=1 D=2 G=4 G0=64 T=10" value_max=255 ;;
        medium) architecture="RDN, C=1 D=10 G=64 G0=64 T=10" value_max=255 ;;
        thick) architecture="RRDN, C=4 D=3 G=32 G0=64 T=10" value_max=1 ;;
    esac
    # The packages use 129-pixel patches for 3x and 128-pixel patches otherwise.
    tile_size=128
    if [ "$scale" -eq 3 ]; then
        tile_size=129
    fi

    package=@upscalerjs/esrgan-$size
    package_dir=$reference_dir/node_modules/$package
    if [ ! -f "$package_dir/package.json" ]; then
        echo "error: $package_dir not found. Run without --no-install to install it." >&2
        exit 1
    fi
    package_version=$(node -p "require(process.argv[1]).version" "$package_dir/package.json")
    model_json=$package_dir/models/x$scale/model.json
    model_dir=$models_dir/$model/$model_version

    echo "== $model from $package@$package_version models/x$scale"
    "$python" "$tools_dir/convert_tfjs.py" \
        --model-json "$model_json" \
        --name "$model" \
        --version "$model_version" \
        --scale "$scale" \
        --value-max "$value_max" \
        --tile-size "$tile_size" \
        --source "npm:$package@$package_version models/x$scale/model.json" \
        --description "ESRGAN $size ($architecture) ${scale}x generator trained on DIV2K" \
        --out "$models_dir"
    "$python" "$tools_dir/make_reference_input.py" --model-dir "$model_dir"
    node "$reference_dir/tfjs_reference.mjs" --model-json "$model_json" --model-dir "$model_dir"
    "$python" "$tools_dir/verify_conversion.py" --model-dir "$model_dir" --model-json "$model_json"
    node "$reference_dir/onnx_check.mjs" --model-dir "$model_dir"
done
