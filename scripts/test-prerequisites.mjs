// Runs before `npm test`: the browser tests need Chromium and the XMPP tests a Prosody server. On
// Debian/Ubuntu, when run as root (or with password-less sudo), missing ones are installed with apt;
// otherwise one line says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const missing = [
  ...(existsSync(chromium) ? [] : ['chromium']),
  ...(has('prosodyctl') ? [] : ['prosody']),
];
if (missing.length === 0) process.exit(0);
const purpose = missing.map((pkg) => `${pkg} (${pkg === 'chromium' ? 'browser tests' : 'XMPP tests'})`).join(' and ');

const root = process.getuid?.() === 0;
const sudo = !root && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
if (!has('apt-get') || (!root && !sudo)) {
  console.error(
    `The tests need ${purpose}: install ${missing.length > 1 ? 'them' : 'it'} ` +
      `(Debian/Ubuntu: apt-get install ${missing.join(' ')}) or point CHROMIUM_PATH at a Chromium, then run the tests again.`,
  );
  process.exit(1);
}

const run = (args) => {
  const result = spawnSync(sudo ? 'sudo' : args[0], sudo ? ['-n', ...args] : args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

console.error(`Installing ${purpose} with apt-get…`);
// Keep packages such as prosody from starting a system daemon: the tests run their own instance.
const policy = '/usr/sbin/policy-rc.d';
const addPolicy = root && !existsSync(policy);
if (addPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
try {
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...missing]);
} finally {
  if (addPolicy) rmSync(policy, { force: true });
}
