// `pnpm bench --only responsiveness [--runs N]`: issue #21's rows alone, without the slow main table,
// repeated N times on the same prepared models; prints each run, then every figure's min / median /
// max, and grades the goals on the medians. Writes responsiveness.json and responsiveness.md to --out.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchConfig } from './config.js';
import { footprintLines, footprintModels, runFootprint, type Footprint } from './footprint.js';
import { goalLines, responsivenessLines } from './report.js';
import { responsiveFigures, responsiveGoals, spreadLines, spreadOf } from './responsive-goals.js';
import { runResponsiveness, type Responsiveness } from './responsiveness.js';
import type { Goal, MachineInfo } from './result.js';
import type { Workload } from './workload.js';

interface OneRun {
  responsiveness: Responsiveness;
  footprint: Footprint;
  figures: Record<string, number>;
  goals: Goal[];
}

export async function runResponsivenessOnly(config: BenchConfig, workload: Workload, machine: () => MachineInfo, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const set = workload.sets[0]!;
  const prepared = await footprintModels(config, log);
  const runs: OneRun[] = [];
  const lines: string[] = [];
  for (let i = 0; i < config.runs; i++) {
    log(`responsiveness run ${i + 1}/${config.runs}`);
    const responsiveness = await runResponsiveness(config.servePath, config.modelDir, set, config.responsivenessSeconds, config.concurrencies, log);
    const footprint = await runFootprint(config.probePath, prepared, set, config.topN, log);
    const figures = responsiveFigures({ responsiveness, footprint });
    const run = { responsiveness, footprint, figures, goals: responsiveGoals(figures) };
    runs.push(run);
    const section = [`## Run ${i + 1} of ${config.runs}`, '', ...responsivenessLines(responsiveness), ...footprintLines(footprint), ...goalLines(run.goals), ''];
    process.stdout.write(`${section.join('\n')}\n`);
    lines.push(...section);
  }
  const spread = spreadOf(runs.map((r) => r.figures));
  const medians = Object.fromEntries(spread.map((s) => [s.name, s.median]));
  const goals = responsiveGoals(medians);
  const info = machine();
  const header = [
    `# crossrank responsiveness and memory (issue #21), ${config.mode === 'quick' ? 'quick' : 'full'}, ${config.runs} run(s)`,
    '',
    `${new Date().toISOString()}: ${info.cpuModel}, ${info.cores} cores (vector extensions: ${info.vectorExtensions}), load average ` +
      `${info.loadAverage.start.map((n) => n.toFixed(1)).join('/')} at start, ${info.loadAverage.end.map((n) => n.toFixed(1)).join('/')} at end; Node ${info.node}, ` +
      `onnxruntime-node ${info.onnxruntime}. ${config.shape} shape, generated weights, ${workload.source} candidates. Run took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    '',
  ];
  const summary = [
    `## Spread over ${config.runs} run(s)`,
    '',
    ...spreadLines(spread),
    '',
    `Goals, graded on the median of the ${config.runs} run(s) (the fp32 / q8 speed rows need the full run's main table: \`pnpm bench\`):`,
    '',
    ...goalLines(goals),
    '',
  ];
  process.stdout.write(`${summary.join('\n')}\n`);
  mkdirSync(config.out, { recursive: true });
  writeFileSync(
    path.join(config.out, 'responsiveness.json'),
    `${JSON.stringify({ schema: 'crossrank-responsiveness/1', createdAt: new Date().toISOString(), mode: config.mode, machine: info, data: workload.source, runs, spread, goals }, null, 2)}\n`,
  );
  writeFileSync(path.join(config.out, 'responsiveness.md'), `${[...header, ...summary, ...lines].join('\n')}\n`);
  process.stdout.write(`Wrote ${path.join(config.out, 'responsiveness.json')} and responsiveness.md\n`);
}
