// The machine a run measured on, for the results' header: CPU speed figures mean little without it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cpuFlags } from '../src/machine.js';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  /** The CPU flags that pick ONNX Runtime's GEMM kernels (fp32 AVX2/AVX-512, int8 VNNI/AMX). */
  kernelFlags: string[];
  memoryGiB: number;
  os: string;
  node: string;
  onnxruntime: string;
  transformers: string;
}


export function machineInfo(): MachineInfo {
  const require = createRequire(import.meta.url);
  const transformersEntry = require.resolve('@huggingface/transformers');
  return {
    cpuModel: lscpuModel() ?? os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    kernelFlags: cpuFlags(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    // The onnxruntime-node that @huggingface/transformers itself loads, not whichever is nearest.
    onnxruntime: packageVersion(createRequire(transformersEntry).resolve('onnxruntime-node')),
    transformers: packageVersion(transformersEntry),
  };
}

function lscpuModel(): string | undefined {
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('Model name:'));
    return line?.slice('Model name:'.length).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Version from the package.json above a resolved entry file (packages' `exports` hide package.json). */
function packageVersion(entry: string): string {
  for (let dir = path.dirname(realpathSync(entry)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name && pkg.version) return pkg.version;
  }
  return 'unknown';
}
