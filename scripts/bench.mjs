// npm run bench: time-to-token of the committed bundles against the local emulator, next to the floor
// (`node -e 0`). Medians over repeated runs after a warm-up; peak RSS from GNU time when installed.
// Usage: node scripts/bench.mjs [--runs N] [--json]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startEmulator } from '../test/emulator/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 15;
const WARMUP = 2;
const JSON_OUT = args.includes('--json');
const OP_RUNS = Math.max(3, Math.round(RUNS / 5));
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// The runner and the agent pass the manifests' defaults for inputs a workflow does not set.
const ACTION_DEFAULTS = Object.fromEntries(
  Object.entries(parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')).inputs)
    .filter(([, input]) => input.default !== undefined)
    .map(([name, input]) => [name, String(input.default)])
);
const TASK_DEFAULTS = Object.fromEntries(
  JSON.parse(readFileSync(join(ROOT, 'task.json'), 'utf8'))
    .inputs.filter((input) => input.defaultValue !== undefined)
    .map((input) => [input.name, String(input.defaultValue)])
);

/** Runs one process; resolves with wall time (ms), peak RSS (MB, when measurable) and exit code. */
function measure(argv, env, cwd) {
  const command = GNU_TIME ? [GNU_TIME, '-f', '@@rss=%M', ...argv] : argv;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rss = /@@rss=(\d+)/.exec(stderr)?.[1];
      resolve({ ms, rssMb: rss ? Number(rss) / 1024 : undefined, code, stdout, stderr });
    });
  });
}

function githubEnv(emu, dir, inputs) {
  const output = join(dir, 'output');
  writeFileSync(output, '');
  const all = { ...ACTION_DEFAULTS, ...inputs };
  return {
    ...emu.env.common,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: output,
    GITHUB_ENV: join(dir, 'env'),
    RUNNER_TEMP: dir,
    ...Object.fromEntries(Object.entries(all).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  };
}

function azureEnv(emu, dir, inputs, endpoint) {
  const env = {
    ...emu.env.common,
    ...emu.env.azurePipelines,
    TF_BUILD: 'True',
    AGENT_TEMPDIRECTORY: dir,
    ...Object.fromEntries(
      Object.entries({ ...TASK_DEFAULTS, organization: emu.devops.orgUrl, ...inputs }).map(([k, v]) => [
        `INPUT_${k.toUpperCase()}`,
        v
      ])
    )
  };
  if (endpoint) {
    env[`ENDPOINT_AUTH_${endpoint.id}`] = JSON.stringify({
      scheme: endpoint.scheme,
      parameters: endpoint.parameters
    });
    env[`ENDPOINT_AUTH_SCHEME_${endpoint.id}`] = endpoint.scheme;
    for (const [k, v] of Object.entries(endpoint.data))
      env[`ENDPOINT_DATA_${endpoint.id}_${k.toUpperCase()}`] = v;
  }
  return env;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function bench(name, emu, makeRun, check, { runs = RUNS, warmup = WARMUP, setup } = {}) {
  const samples = [];
  let requests = 0;
  for (let i = 0; i < warmup + runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    try {
      emu.reset();
      setup?.();
      const result = await makeRun(dir);
      if (check && !check(result)) throw new Error(`${name}: run failed\n${result.stdout}\n${result.stderr}`);
      if (i >= warmup) samples.push(result);
      requests = emu.requests.length;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const rss = samples.map((s) => s.rssMb).filter((v) => v !== undefined);
  return {
    name,
    runs,
    medianMs: median(samples.map((s) => s.ms)),
    minMs: Math.min(...samples.map((s) => s.ms)),
    peakRssMb: rss.length ? Math.max(...rss) : undefined,
    requestsPerRun: requests
  };
}

/** 200 GETs as a for-each against the emulator with 20 ms of latency per request: sequential vs. concurrent. */
async function operationsBench(emu, node, gh, federated, ok) {
  const forEach = (concurrency) =>
    `- name: items\n  url: _test/items\n  query: { count: 200 }\n  select: value\n- name: each\n  url: "_test/item/{{ item.id }}"\n  for-each: "{{ results.items }}"\n  concurrency: ${concurrency}\n  select: id\n`;
  const latency = () => emu.fault('devops', { delayMs: 20, always: true });
  const opts = { runs: OP_RUNS, warmup: 1, setup: latency };
  const scenario = (label, concurrency) =>
    bench(
      label,
      emu,
      (dir) =>
        measure(
          [node, gh],
          {
            ...githubEnv(emu, dir, {
              ...federated,
              organization: emu.devops.orgUrl,
              verify: 'false',
              operations: forEach(concurrency)
            }),
            ...emu.env.github
          },
          dir
        ),
      ok,
      opts
    );
  // What users write today: a sequential curl loop over the same 200 requests, token in a variable.
  const loop =
    'for i in $(seq 1 200); do curl -sf --cacert "$CA" -H "Authorization: Bearer $TOKEN" "$BASE/_test/item/$i?api-version=7.1" >/dev/null || exit 1; done';
  const curl = existsSync('/usr/bin/curl')
    ? [
        await bench(
          'sequential curl loop, 200 requests, 20 ms latency',
          emu,
          (dir) =>
            measure(
              ['bash', '-c', loop],
              { CA: emu.caFile, TOKEN: emu.issueAccessToken(), BASE: emu.devops.orgUrl },
              dir
            ),
          (r) => r.code === 0,
          opts
        )
      ]
    : [];
  return [
    await scenario('GitHub, 200-item for-each, 20 ms latency, sequential (concurrency 1)', 1),
    await scenario('GitHub, 200-item for-each, 20 ms latency, concurrency 4 (default)', 4),
    ...curl
  ];
}

function folderSize(dir) {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

const emu = await startEmulator();
try {
  const node = process.execPath;
  const gh = join(ROOT, 'dist/github/index.js');
  const az = join(ROOT, 'dist/azure/index.js');
  const ghOk = (r) => r.code === 0 && !r.stdout.includes('::error::');
  const azOk = (r) => r.stdout.includes('##vso[task.complete result=Succeeded;]');
  const wif = {
    id: emu.azurePipelines.serviceConnectionId,
    scheme: 'WorkloadIdentityFederation',
    parameters: { serviceprincipalid: emu.app.clientId, tenantid: emu.tenantId },
    data: { activeDirectoryAuthority: `${emu.httpsUrl}/` }
  };
  const federated = {
    'client-id': emu.app.clientId,
    'tenant-id': emu.tenantId,
    'authority-host': emu.httpsUrl
  };
  const results = [
    await bench('node -e 0 (floor)', emu, (dir) => measure([node, '-e', '0'], {}, dir)),
    await bench(
      'floor: OIDC + token requests with built-in fetch',
      emu,
      (dir) =>
        measure(
          [node, join(ROOT, 'scripts/bench-floor.mjs')],
          {
            ...emu.env.common,
            ...emu.env.github,
            FLOOR_AUTHORITY: emu.httpsUrl,
            FLOOR_TENANT: emu.tenantId,
            FLOOR_CLIENT: emu.app.clientId
          },
          dir
        ),
      (r) => r.code === 0
    ),
    await bench(
      'GitHub, federated, no verify',
      emu,
      (dir) => measure([node, gh], { ...githubEnv(emu, dir, federated), ...emu.env.github }, dir),
      ghOk
    ),
    await bench(
      'GitHub, federated + verify',
      emu,
      (dir) =>
        measure(
          [node, gh],
          { ...githubEnv(emu, dir, { ...federated, organization: emu.devops.orgUrl }), ...emu.env.github },
          dir
        ),
      ghOk
    ),
    await bench(
      'GitHub, managed identity (IMDS)',
      emu,
      (dir) =>
        measure(
          [node, gh],
          { ...githubEnv(emu, dir, { 'auth-type': 'managed-identity' }), ...emu.env.imds },
          dir
        ),
      ghOk
    ),
    await bench(
      'Azure, WIF connection + verify',
      emu,
      (dir) =>
        measure(
          [node, az],
          azureEnv(emu, dir, { connectionType: 'azureRM', azureSubscription: wif.id }, wif),
          dir
        ),
      azOk
    ),
    await bench(
      'Azure, managed identity (IMDS) + verify',
      emu,
      (dir) =>
        measure(
          [node, az],
          { ...azureEnv(emu, dir, { connectionType: 'managedIdentity' }), ...emu.env.imds },
          dir
        ),
      azOk
    ),
    ...(await operationsBench(emu, node, gh, federated, ghOk))
  ];
  const floor = results[0].medianMs;
  for (const r of results) r.ratioToFloor = Math.round((r.medianMs / floor) * 100) / 100;
  const bundles = Object.fromEntries(
    ['github', 'azure', 'credential'].map((name) => [`dist/${name}`, folderSize(join(ROOT, 'dist', name))])
  );
  const azCli = existsSync('/usr/bin/az')
    ? 'installed (not yet timed)'
    : 'not installed: apt-get install azure-cli to compare (skipped)';
  if (JSON_OUT) {
    console.log(JSON.stringify({ node: process.version, runs: RUNS, results, bundles, azCli }, null, 2));
  } else {
    console.log(
      `node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up, emulator on loopback (the unknown-host path adds one metadata GET)\n`
    );
    console.log('| scenario | median ms | min ms | × node -e 0 | peak RSS MB | requests |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results)
      console.log(
        `| ${r.name} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${r.ratioToFloor.toFixed(2)} | ${r.peakRssMb?.toFixed(1) ?? 'n/a'} | ${r.requestsPerRun} |`
      );
    console.log(
      `\nbundle sizes: ${Object.entries(bundles)
        .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KiB`)
        .join(', ')}\naz CLI: ${azCli}`
    );
  }
} finally {
  await emu.close();
}
