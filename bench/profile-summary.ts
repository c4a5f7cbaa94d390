/**
 * Where a server's CPU went during one bench phase, from the V8 CPU profile a `BENCH_CPU_PROF=1` run
 * writes beside its results:
 *
 *   node dist/bench/profile-summary.js bench/results/switchboard-<stamp>.cpuprofile [phase] [top]
 *
 * phase: `messages` (default), `routing`, `step:<rate>` (a sustained-rate step) or `all`. The phase's
 * time window comes from bench/results/bench-<stamp>.json. Prints self time by package and by function.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Window {
  startUs: number;
  endUs: number;
}

interface PhaseResults {
  routing?: { window?: Window };
  messages?: { window?: Window };
  sustained?: { steps: { offeredPerSecond: number; window?: Window }[] };
}

function phaseWindow(profileFile: string, phase: string): Window | null {
  if (phase === 'all') return null;
  const match = /^(switchboard|raw)-(.+)\.cpuprofile$/.exec(basename(profileFile));
  if (!match) throw new Error('expected a profile named <switchboard|raw>-<stamp>.cpuprofile');
  const [, target, stamp] = match;
  const report = JSON.parse(readFileSync(join(dirname(profileFile), `bench-${stamp}.json`), 'utf8')) as {
    targets: Record<string, PhaseResults>;
  };
  const results = report.targets[target];
  let window: Window | undefined;
  if (phase === 'messages') window = results.messages?.window;
  else if (phase === 'routing') window = results.routing?.window;
  else if (phase.startsWith('step:')) {
    window = results.sustained?.steps.find((s) => s.offeredPerSecond === Number(phase.slice(5)))?.window;
  }
  if (!window) throw new Error(`no window for phase ${phase} of ${target} in bench-${stamp}.json`);
  return window;
}

function label(frame: ProfileNode['callFrame']): { pkg: string; fn: string } {
  const url = frame.url;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  const own = /\/dist\/(.+)$/.exec(url);
  const pkg = dep ? dep[1] : own ? own[1] : url.startsWith('node:') ? url : url ? 'node (internal)' : frame.functionName || '(anonymous)';
  return { pkg, fn: `${frame.functionName || '(anonymous)'} (${pkg}:${frame.lineNumber + 1})` };
}

function main(): void {
  // `| head` closing the pipe early is not an error.
  process.stdout.on('error', () => process.exit(0));
  const [file, phase = 'messages', topArg = '25'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-summary.js <profile.cpuprofile> [messages|routing|step:<rate>|all] [top]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const window = phaseWindow(file, phase);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let at = profile.startTime;
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i];
    at += delta;
    if (window && (at < window.startUs || at > window.endUs)) return;
    const node = nodes.get(id);
    if (!node) return;
    total += delta;
    if (node.callFrame.functionName === '(idle)') {
      idle += delta;
      return;
    }
    const { pkg, fn } = label(node.callFrame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
  });
  const busy = total - idle;
  const top = Number(topArg);
  const print = (title: string, entries: Map<string, number>) => {
    process.stdout.write(`\n${title}\n`);
    for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${((us / busy) * 100).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
    }
  };
  process.stdout.write(
    `${basename(file)}, phase ${phase}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(2)} s on CPU ` +
      `(${((busy / Math.max(total, 1)) * 100).toFixed(0)}% of the main thread); shares below are of the CPU time\n`,
  );
  print('self time by package (or compiled file under dist/)', byPackage);
  print('self time by function', byFunction);
}

main();
