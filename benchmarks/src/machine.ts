import { readFileSync } from 'node:fs';
import os from 'node:os';
import { env } from '@huggingface/transformers';
import type { MachineInfo } from './result.js';

// The flags that decide ONNX Runtime's GEMM kernels (fp32 AVX2/AVX-512; int8 VNNI/AMX). Runs on
// AVX2-only and AVX-512 VNNI machines are not comparable, so the report names them.
const KERNEL_FLAGS = ['avx2', 'fma', 'avx512f', 'avx512_vnni', 'avx_vnni', 'avx512_bf16', 'amx_tile', 'amx_int8', 'amx_bf16'];

export function machineInfo(loadStart: number[], onnxruntime: string): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    flags: cpuFlags(),
    vectorExtensions: vectorExtensions(),
    loadAverage: { start: loadStart, end: os.loadavg() },
    node: process.version,
    onnxruntime,
    transformers: env.version,
  };
}

/** The CPU flags (of those that pick ONNX Runtime's kernels) this machine has. */
export function cpuFlags(): string[] {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    const flags = new Set(line?.split(':')[1]?.trim().split(/\s+/) ?? []);
    return KERNEL_FLAGS.filter((f) => flags.has(f));
  } catch {
    return [];
  }
}

/**
 * The vector extensions for the report header: the kernel flags present, `none of ...` on a CPU
 * with none of them, or `unknown` where /proc/cpuinfo cannot be read (off Linux).
 */
export function vectorExtensions(cpuinfo: () => string = () => readFileSync('/proc/cpuinfo', 'utf8')): string {
  let text: string;
  try {
    text = cpuinfo();
  } catch {
    return 'unknown';
  }
  const line = text.split('\n').find((l) => l.startsWith('flags'));
  if (line === undefined) return 'unknown';
  const flags = new Set(line.split(':')[1]?.trim().split(/\s+/) ?? []);
  const present = KERNEL_FLAGS.filter((f) => flags.has(f));
  return present.length > 0 ? present.join(' ') : `none of ${KERNEL_FLAGS.join(' ')}`;
}
