// Runs a TF.js layers model on reference/input.npy with TF.js itself and
// writes reference/output.npy, the ground truth for checking a conversion.
//
// Usage: node tfjs_reference.mjs --model-json PATH --model-dir DIR
//
// DIR/reference/input.npy is NCHW float32 [1, 3, h, w] in the model's own value
// range (make_reference_input.py writes it). The model runs on the pure
// JavaScript CPU backend of @tensorflow/tfjs, and the NHWC result is written
// as NCHW float32 [1, 3, h * scale, w * scale] to DIR/reference/output.npy.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { readNpy, writeNpy } from './npy.mjs';

// Beta of the MultiplyBeta layer in @upscalerjs/esrgan-thick 1.0.0, which
// hard-codes it and ignores the layer config.
const MULTIPLY_BETA = 0.2;

function firstInput(inputs) {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

// Residual scaling layer of the UpscalerJS RRDN models: multiplies by beta.
class MultiplyBeta extends tf.layers.Layer {
  static className = 'MultiplyBeta';

  constructor(config) {
    super(config);
    if (config.beta !== undefined && config.beta !== MULTIPLY_BETA) {
      throw new Error(`layer ${config.name}: beta ${config.beta} differs from ${MULTIPLY_BETA}`);
    }
    this.beta = MULTIPLY_BETA;
  }

  call(inputs) {
    return tf.mul(firstInput(inputs), this.beta);
  }

  getConfig() {
    return { ...super.getConfig(), beta: this.beta };
  }
}

// Sub-pixel upsampling layer of the UpscalerJS RRDN models: tf.depthToSpace in
// NHWC. The package registers one class per scale, named PixelShuffle<scale>x.
function makePixelShuffleClass(scale) {
  return class PixelShuffle extends tf.layers.Layer {
    static className = `PixelShuffle${scale}x`;

    computeOutputShape(inputShape) {
      const [batch, height, width, channels] = inputShape;
      return [
        batch,
        height === null ? null : height * scale,
        width === null ? null : width * scale,
        channels / (scale * scale),
      ];
    }

    call(inputs) {
      return tf.depthToSpace(firstInput(inputs), scale, 'NHWC');
    }

    getConfig() {
      return { ...super.getConfig(), scale };
    }
  };
}

function registerCustomLayers(modelJson) {
  tf.serialization.registerClass(MultiplyBeta);
  const layers = modelJson.modelTopology.model_config.config.layers;
  for (const layer of layers) {
    const match = /^PixelShuffle(\d+)x$/.exec(layer.class_name);
    if (match) {
      tf.serialization.registerClass(makePixelShuffleClass(Number(match[1])));
    }
  }
}

// IOHandler that reads model.json and its weight shards from the local disk.
function fileHandler(modelJsonPath, modelJson) {
  return {
    load: async () => {
      const folder = dirname(modelJsonPath);
      const weightSpecs = [];
      const buffers = [];
      for (const group of modelJson.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const shard of group.paths) {
          buffers.push(readFileSync(join(folder, shard)));
        }
      }
      const joined = Buffer.concat(buffers);
      const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
      return {
        modelTopology: modelJson.modelTopology,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
        weightSpecs,
        weightData,
      };
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      'model-json': { type: 'string' },
      'model-dir': { type: 'string' },
    },
  });
  if (!values['model-json'] || !values['model-dir']) {
    throw new Error('usage: node tfjs_reference.mjs --model-json PATH --model-dir DIR');
  }

  await tf.setBackend('cpu');
  const modelJson = JSON.parse(readFileSync(values['model-json'], 'utf8'));
  registerCustomLayers(modelJson);
  const model = await tf.loadLayersModel(fileHandler(values['model-json'], modelJson));

  const inputPath = join(values['model-dir'], 'reference', 'input.npy');
  const input = readNpy(inputPath);
  if (input.shape.length !== 4 || input.shape[0] !== 1 || input.shape[1] !== 3) {
    throw new Error(`${inputPath}: shape [${input.shape}] is not [1, 3, height, width]`);
  }

  const output = tf.tidy(() => {
    const nhwc = tf.tensor4d(input.data, input.shape).transpose([0, 2, 3, 1]);
    return model.predict(nhwc).transpose([0, 3, 1, 2]);
  });
  const outputPath = join(values['model-dir'], 'reference', 'output.npy');
  writeNpy(outputPath, output.shape, output.dataSync());
  console.log(`wrote ${outputPath} [${output.shape}] with TF.js ${tf.version.tfjs} backend ${tf.getBackend()}`);
}

await main();
