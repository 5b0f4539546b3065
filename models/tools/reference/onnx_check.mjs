// Runs DIR/model.onnx with onnxruntime-web (WebAssembly CPU backend) and
// compares it with the TF.js reference output.
//
// Usage: node onnx_check.mjs --model-dir DIR [--tolerance T]
//
// Checks, in order:
//  1. the output for reference/input.npy matches reference/output.npy within
//     the tolerance (default 0.01 * value_max / 255, value_max from manifest.json);
//  2. a batch of two copies of the input gives the same output twice, so the
//     batch axis is dynamic;
//  3. a smaller crop of the input with other height and width gives an output
//     of scale times its size, so both spatial axes are dynamic.
// Exits with status 1 if any check fails.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as ort from 'onnxruntime-web';

import { readNpy } from './npy.mjs';

const TOLERANCE_AT_255 = 1e-2;

function maxAbsDifference(a, b) {
  let max = 0;
  for (let i = 0; i < a.length; i += 1) {
    const difference = Math.abs(a[i] - b[i]);
    // A NaN in either array must fail the comparison.
    if (!(difference <= max)) {
      max = Number.isNaN(difference) ? Infinity : difference;
    }
  }
  return max;
}

// Returns rows [0, height) and columns [0, width) of an NCHW [1, c, h, w] array.
function crop(data, [, channels, fullHeight, fullWidth], height, width) {
  const out = new Float32Array(channels * height * width);
  for (let c = 0; c < channels; c += 1) {
    for (let y = 0; y < height; y += 1) {
      const from = (c * fullHeight + y) * fullWidth;
      out.set(data.subarray(from, from + width), (c * height + y) * width);
    }
  }
  return out;
}

async function run(session, inputName, outputName, data, dims) {
  const results = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
  return results[outputName];
}

async function main() {
  const { values } = parseArgs({
    options: {
      'model-dir': { type: 'string' },
      tolerance: { type: 'string' },
    },
  });
  const modelDir = values['model-dir'];
  if (!modelDir) {
    throw new Error('usage: node onnx_check.mjs --model-dir DIR [--tolerance T]');
  }
  const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8'));
  const scale = manifest.scaleFactor;
  const valueMax = manifest.output.valueRange[1];
  const tolerance = values.tolerance !== undefined ? Number(values.tolerance) : (TOLERANCE_AT_255 * valueMax) / 255;
  const inputName = manifest.input.name;
  const outputName = manifest.output.name;

  const input = readNpy(join(modelDir, 'reference', 'input.npy'));
  const expected = readNpy(join(modelDir, 'reference', 'output.npy'));

  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(readFileSync(join(modelDir, 'model.onnx')));
  const failures = [];

  const single = await run(session, inputName, outputName, input.data, input.shape);
  const error = maxAbsDifference(single.data, expected.data);
  if (single.dims.join() !== expected.shape.join()) {
    failures.push(`output shape [${single.dims}] differs from reference [${expected.shape}]`);
  } else if (!(error <= tolerance)) {
    failures.push(`max abs error ${error.toPrecision(3)} exceeds tolerance ${tolerance.toPrecision(3)}`);
  }
  console.log(
    `${manifest.name}/${manifest.version}: onnxruntime-web ${ort.env.versions.common} ` +
      `max_abs_error=${error.toPrecision(3)} (tolerance ${tolerance.toPrecision(3)})`,
  );

  const [, channels, height, width] = input.shape;
  const batch = new Float32Array(input.data.length * 2);
  batch.set(input.data, 0);
  batch.set(input.data, input.data.length);
  const batched = await run(session, inputName, outputName, batch, [2, channels, height, width]);
  const half = single.data.length;
  const batchError = Math.max(
    maxAbsDifference(batched.data.subarray(0, half), single.data),
    maxAbsDifference(batched.data.subarray(half), single.data),
  );
  if (batched.dims[0] !== 2 || !(batchError <= tolerance)) {
    failures.push(`batch of 2 gave shape [${batched.dims}] and max abs error ${batchError} against batch 1`);
  }

  const smallHeight = height - 7;
  const smallWidth = width - 13;
  const smallDims = [1, channels, smallHeight, smallWidth];
  const smallData = crop(input.data, input.shape, smallHeight, smallWidth);
  const small = await run(session, inputName, outputName, smallData, smallDims);
  const expectedSmall = [1, 3, smallHeight * scale, smallWidth * scale];
  if (small.dims.join() !== expectedSmall.join()) {
    failures.push(`input [${smallDims}] gave [${small.dims}], expected [${expectedSmall}]`);
  }

  for (const failure of failures) {
    console.error(`FAILED: ${failure}`);
  }
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
