// Reads and writes float32 arrays in the NumPy .npy format, version 1.0
// (little-endian '<f4', C order), the only variant the reference files use.

import { readFileSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';

// Float32Array uses the byte order of the host, and '<f4' is little-endian.
if (endianness() !== 'LE') {
  throw new Error('npy.mjs supports little-endian hosts only');
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // "\x93NUMPY"
const HEADER_ALIGNMENT = 64;

/**
 * Reads a .npy file and returns { shape, data } with data as a Float32Array.
 * Throws if the file is not a version 1.0 '<f4' C-order array.
 */
export function readNpy(path) {
  const bytes = readFileSync(path);
  if (!bytes.subarray(0, 6).equals(MAGIC)) {
    throw new Error(`${path}: not a .npy file (missing magic string)`);
  }
  const [major, minor] = [bytes[6], bytes[7]];
  if (major !== 1 || minor !== 0) {
    throw new Error(`${path}: .npy version ${major}.${minor} is not supported, expected 1.0`);
  }
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortranOrder = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr !== '<f4' || fortranOrder !== 'False' || shapeText === undefined) {
    throw new Error(`${path}: header ${header.trim()} is not a C-order '<f4' array`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataOffset = 10 + headerLength;
  if (bytes.length - dataOffset !== count * 4) {
    throw new Error(`${path}: contains ${bytes.length - dataOffset} data bytes, shape [${shape}] needs ${count * 4}`);
  }
  // Copy into a new Float32Array, because a typed-array view needs a 4-byte
  // aligned offset and neither Buffer nor the .npy layout guarantees one.
  const data = new Float32Array(count);
  Buffer.from(data.buffer).set(bytes.subarray(dataOffset));
  return { shape, data };
}

/** Writes a Float32Array with the given shape as a version 1.0 '<f4' C-order .npy file. */
export function writeNpy(path, shape, data) {
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new Error(`writeNpy ${path}: ${data.length} values do not fill shape [${shape}]`);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad with spaces and end with a newline so that the data starts on a 64-byte boundary.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((HEADER_ALIGNMENT - (unpadded % HEADER_ALIGNMENT)) % HEADER_ALIGNMENT) + '\n';
  const prefix = Buffer.alloc(10);
  MAGIC.copy(prefix, 0);
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
}
