import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitClientEnv } from '../emulator/test-cli.js';
import { decodeClaims, skipOn, useEmulator, type Emulator } from './fixture.js';
import { ROOT } from '../contract/manifests.js';
import { runCliBundle, type CliRun } from './cli-runner.js';
import { readTree } from './runner.js';

const emu = useEmulator();
const AKS_ISSUER = 'https://eastus.oic.prod-aks.azure.com/4b1c7e2a-93d5-4f08-a6e1-2c9d8b7f3a15/1f2e3d4c/';
const AKS_SUBJECT = 'system:serviceaccount:release:deployer';
const AUDIENCE = 'api://AzureADTokenExchange';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the committed bundle as a user's shell would: `node dist/cli/index.js ARGS` with only the given env. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCliBundle(args, dir, { ...emu.env.common, ...env });
}

/** A workload (Kubernetes, GitLab…) whose OIDC issuer the app trusts; its token as the platform would write it. */
function federatedWorkload(emu: Emulator, subject = AKS_SUBJECT): { clientId: string; token: string } {
  const app = emu.registerApp({
    displayName: 'aks-deployer',
    federatedCredentials: [{ issuer: AKS_ISSUER, subject: AKS_SUBJECT, audience: AUDIENCE }]
  });
  emu.devops.addMember(app.objectId, 'aks-deployer');
  return {
    clientId: app.clientId,
    token: emu.addOidcIssuer(AKS_ISSUER).mintToken({ sub: subject, aud: AUDIENCE })
  };
}

function federatedArgs(clientId: string, ...extra: string[]): string[] {
  return [
    '--client-id',
    clientId,
    '--tenant-id',
    emu.tenantId,
    '--authority-host',
    emu.httpsUrl,
    '--organization',
    emu.devops.orgUrl,
    ...extra
  ];
}

/** No secret the emulator knows appears on stderr; stdout holds at most what the command was asked to print. */
function expectNoLeaks(run: CliRun, allowedOnStdout: string[] = []): void {
  const stdout = allowedOnStdout.reduce((text, allowed) => text.split(allowed).join(''), run.stdout);
  for (const secret of emu.secrets().filter((s) => s.length >= 6)) {
    expect(run.stderr.includes(secret) ? `stderr leaks ${secret.slice(0, 4)}…` : 'ok').toBe('ok');
    expect(stdout.includes(secret) ? `stdout leaks ${secret.slice(0, 4)}…` : 'ok').toBe('ok');
  }
}

describe('CLI: federated token file (Kubernetes workload identity)', () => {
  test.each([false, true])(
    'token: one token request, verified, token on stdout (debug %s)',
    async (debug) => {
      const workload = federatedWorkload(emu);
      writeFileSync(join(dir, 'token'), `${workload.token}\n`);
      const run = await runCli([
        'token',
        '--federated-token-file',
        join(dir, 'token'),
        ...federatedArgs(workload.clientId),
        ...(debug ? ['--debug'] : [])
      ]);
      expect(run.stderr).not.toContain('error:');
      expect(run.exitCode).toBe(0);
      const token = run.stdout.trimEnd();
      expect(run.stdout).toBe(`${token}\n`);
      expect(decodeClaims(token)).toMatchObject({
        appid: workload.clientId,
        aud: '499b84ac-1321-427f-aa17-267ca6975798'
      });
      expect(emu.requestsFor('entra-token')).toHaveLength(1);
      expect(emu.requestsFor('entra-token')[0]?.form?.client_assertion).toBe(workload.token);
      expect(emu.requestsFor('github-oidc')).toHaveLength(0);
      expect(emu.requestsFor('instance-discovery')).toHaveLength(0);
      expect(emu.requestsFor('devops').map((r) => r.path)).toEqual(['/contoso/_apis/connectionData']);
      expect(run.stderr).toContain(
        `Authenticating with workload identity federation (federated token file ${join(dir, 'token')}).`
      );
      expect(run.stderr).toContain(
        `Presented OIDC token: issuer '${AKS_ISSUER}', subject '${AKS_SUBJECT}', audience '${AUDIENCE}'`
      );
      expect(run.stderr).toContain("accepts the token as 'aks-deployer'");
      if (debug) expect(run.stderr).toContain('debug: ');
      expectNoLeaks(run, [token]);
    }
  );

  test('the variables the workload identity webhook injects are enough: no options but the organization', async () => {
    const workload = federatedWorkload(emu);
    writeFileSync(join(dir, 'azure-identity-token'), workload.token);
    const run = await runCli(['token', '--json', '--organization', 'contoso', '--verify', 'false'], {
      AZURE_FEDERATED_TOKEN_FILE: join(dir, 'azure-identity-token'),
      AZURE_CLIENT_ID: workload.clientId,
      AZURE_TENANT_ID: emu.tenantId,
      // The webhook's value has a trailing slash.
      AZURE_AUTHORITY_HOST: `${emu.httpsUrl}/`
    });
    expect(run.stderr).not.toContain('error:');
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(json).sort()).toEqual([
      'clientId',
      'expiresOn',
      'identity',
      'objectId',
      'tenantId',
      'token'
    ]);
    expect(json).toMatchObject({ clientId: workload.clientId, tenantId: emu.tenantId, identity: '' });
    expect(json.expiresOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(emu.requestsFor('devops')).toHaveLength(0);
    expectNoLeaks(run, [json.token ?? '']);
  });

  test('a subject the app does not trust: AADSTS700213 kept, the presented subject and the fix named, exit 1', async () => {
    const workload = federatedWorkload(emu, 'system:serviceaccount:default:default');
    writeFileSync(join(dir, 'token'), workload.token);
    const run = await runCli([
      'token',
      '--federated-token-file',
      join(dir, 'token'),
      ...federatedArgs(workload.clientId)
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error: Microsoft Entra ID refused the token request: AADSTS700213');
    expect(run.stderr).toContain("subject 'system:serviceaccount:default:default'");
    expect(run.stderr).toContain(
      'Kubernetes subjects look like system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT'
    );
    expectNoLeaks(run);
  });

  test('an expired token in the file: AADSTS700024 says to check what writes the file', async () => {
    const workload = federatedWorkload(emu);
    const past = Math.floor(emu.now() / 1000) - 3600;
    writeFileSync(
      join(dir, 'token'),
      emu.addOidcIssuer(AKS_ISSUER).mintToken({
        sub: AKS_SUBJECT,
        aud: AUDIENCE,
        iat: past - 600,
        nbf: past - 600,
        exp: past
      })
    );
    const run = await runCli([
      'token',
      '--federated-token-file',
      join(dir, 'token'),
      ...federatedArgs(workload.clientId)
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('AADSTS700024');
    expect(run.stderr).toContain(
      `federated token file ${join(dir, 'token')}: check that whatever writes it keeps it fresh`
    );
    expectNoLeaks(run);
  });
});

describe('CLI: federated token in an environment variable (GitLab CI id_tokens)', () => {
  test('token --json from the variable; the variable value is never printed', async () => {
    const workload = federatedWorkload(emu);
    const run = await runCli(
      ['token', '--json', '--federated-token-env', 'GITLAB_OIDC_TOKEN', ...federatedArgs(workload.clientId)],
      { GITLAB_OIDC_TOKEN: workload.token }
    );
    expect(run.stderr).not.toContain('error:');
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.stdout) as Record<string, string>;
    expect(json).toMatchObject({ clientId: workload.clientId, identity: 'aks-deployer' });
    expect(run.stderr).toContain('workload identity federation (environment variable GITLAB_OIDC_TOKEN)');
    expect(emu.requestsFor('entra-token')).toHaveLength(1);
    expectNoLeaks(run, [json.token ?? '']);
  });
});

describe('CLI: managed identity', () => {
  beforeEach(() => {
    const machine = emu.setManagedIdentities({
      systemAssigned: { displayName: 'build-vm' },
      userAssigned: [{ displayName: 'deployer' }]
    });
    if (machine.systemAssigned) emu.devops.addMember(machine.systemAssigned.objectId, 'build-vm');
    const deployer = machine.userAssigned[0];
    if (deployer) emu.devops.addMember(deployer.objectId, 'deployer');
  });

  test('system-assigned: exactly one IMDS request, then verification', async () => {
    const run = await runCli(
      ['token', '--managed-identity', '--organization', emu.devops.orgUrl],
      emu.env.imds
    );
    expect(run.stderr).not.toContain('error:');
    expect(run.exitCode).toBe(0);
    expect(emu.requestsFor('imds')).toHaveLength(1);
    expect(emu.requests.filter((r) => r.service !== 'devops')).toHaveLength(1);
    expect(decodeClaims(run.stdout.trim()).oid).toBe(emu.managedIdentity.systemAssigned?.objectId);
    expect(run.stderr).toContain("accepts the token as 'build-vm'");
    expectNoLeaks(run, [run.stdout.trim()]);
  });

  test('a user-assigned identity chosen with --client-id', async () => {
    const deployer = emu.managedIdentity.userAssigned[0];
    const run = await runCli(
      [
        'token',
        '--json',
        '--managed-identity',
        '--client-id',
        deployer?.clientId ?? '',
        '--organization',
        'contoso',
        '--verify',
        'false'
      ],
      emu.env.imds
    );
    expect(run.exitCode).toBe(0);
    expect(emu.requestsFor('imds')[0]?.query.client_id).toBe(deployer?.clientId);
    expect((JSON.parse(run.stdout) as Record<string, string>).objectId).toBe(deployer?.objectId);
  });

  test('no identity endpoint on this machine: says managed identity needs Azure compute, exit 1', async () => {
    const run = await runCli(['token', '--managed-identity'], {
      AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9'
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('No managed identity endpoint answered on this machine');
    expectNoLeaks(run);
  });
});

describe("CLI: a developer's Azure CLI sign-in", () => {
  /** A stand-in `az` on PATH: records its arguments and answers as `az account get-access-token` does. */
  function fakeAz(script: string): Record<string, string> {
    const bin = join(dir, 'bin');
    writeFileSync(join(dir, 'az-args'), '');
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin);
    writeFileSync(join(bin, 'az'), `#!/bin/sh\necho "$@" >> '${join(dir, 'az-args')}'\n${script}\n`);
    chmodSync(join(bin, 'az'), 0o755);
    return { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  }

  /** The stand-in is a #!/bin/sh script: on Windows az is az.cmd, which @azure/identity runs through cmd.exe. */
  const withFakeAz = skipOn(['win32'], 'the stand-in az is a #!/bin/sh script, and Windows runs az.cmd');

  withFakeAz(
    'az account get-access-token for the Azure DevOps resource (and --tenant), then verification',
    async () => {
      const member = emu.registerApp({ displayName: 'dev-user' });
      emu.devops.addMember(member.objectId, 'Dev User');
      const accessToken = emu.issueAccessToken({ objectId: member.objectId, appId: member.clientId });
      const expires = Math.floor(emu.now() / 1000) + 3000;
      const az = fakeAz(
        `printf '%s' '${JSON.stringify({ accessToken, expiresOn: '2030-01-01 00:00:00.000000', expires_on: expires, tenant: emu.tenantId, tokenType: 'Bearer' })}'`
      );
      const run = await runCli(
        ['token', '--azure-cli', '--tenant-id', emu.tenantId, '--organization', emu.devops.orgUrl],
        az
      );
      expect(run.stderr).not.toContain('error:');
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(`${accessToken}\n`);
      expect(readFileSync(join(dir, 'az-args'), 'utf8').trim()).toBe(
        `account get-access-token --output json --resource 499b84ac-1321-427f-aa17-267ca6975798 --tenant ${emu.tenantId}`
      );
      expect(run.stderr).toContain("the Azure CLI's signed-in account");
      expect(run.stderr).toContain("accepts the token as 'Dev User'");
      expect(emu.requestsFor('entra-token')).toHaveLength(0);
      expectNoLeaks(run, [accessToken]);
    }
  );

  withFakeAz('not signed in: says to run az login --allow-no-subscriptions, exit 1', async () => {
    const az = fakeAz(`echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`);
    const run = await runCli(['token', '--azure-cli'], az);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'error: The Azure CLI is not signed in. Run `az login --allow-no-subscriptions`'
    );
  });

  test('az not installed: says so and names the other modes, exit 1', async () => {
    const run = await runCli(['token', '--azure-cli'], { PATH: '/nonexistent' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("error: The Azure CLI ('az') was not found on PATH");
    expect(run.stderr).toContain('--federated-token-file, --federated-token-env or --managed-identity');
  });
});

describe('CLI: exec', () => {
  test('git in the command authenticates to the organization from the environment; nothing is written to disk', async () => {
    const repo = await emu.git.createRepository('release-tools');
    const workload = federatedWorkload(emu);
    const home = join(dir, 'home');
    mkdirSync(home);
    const before = readTree(dir);
    const run = await runCli(
      [
        'exec',
        '--federated-token-env',
        'CI_JOB_JWT',
        ...federatedArgs(workload.clientId),
        '--',
        'sh',
        '-c',
        `git ls-remote ${repo.cloneUrl} refs/heads/main && test -n "$AZURE_DEVOPS_TOKEN" && echo token-length=\${#AZURE_DEVOPS_TOKEN}`
      ],
      { ...gitClientEnv(emu, home), ...emu.env.common, CI_JOB_JWT: workload.token }
    );
    expect(run.stderr).not.toContain('error:');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`${repo.headSha}\trefs/heads/main`);
    expect(run.stdout).toMatch(/token-length=\d{3,}/);
    const git = emu.requestsFor('git').filter((r) => r.authKind !== 'none');
    expect(git.length).toBeGreaterThan(0);
    expect(git.every((r) => r.authKind === 'basic')).toBe(true);
    // The same token Azure DevOps saw at verification.
    expect(git[0]?.tokenFingerprint).toBe(emu.requestsFor('devops')[0]?.tokenFingerprint);
    expect(run.stderr).toContain(
      `Running sh with the token in AZURE_DEVOPS_TOKEN and git credentials for ${emu.devops.orgUrl}/`
    );
    expect(readTree(dir)).toEqual(before);
    expectNoLeaks(run);
  });

  test("the command's exit code is the CLI's; a missing command is 127; --token-variable renames the variable", async () => {
    const workload = federatedWorkload(emu);
    const env = { CI_JOB_JWT: workload.token };
    const args = [
      'exec',
      '--federated-token-env',
      'CI_JOB_JWT',
      ...federatedArgs(workload.clientId, '--verify', 'false')
    ];
    const failed = await runCli(
      [
        ...args,
        '--token-variable',
        'ADO_TOKEN',
        '--',
        'sh',
        '-c',
        'test -n "$ADO_TOKEN" && test -z "$AZURE_DEVOPS_TOKEN" && exit 7'
      ],
      env
    );
    expect(failed.exitCode).toBe(7);
    const missing = await runCli([...args, '--', 'no-such-command-here'], env);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain("error: Command not found: 'no-such-command-here'");
  });
});

describe('CLI: run (operations)', () => {
  test('operations from a file run with the token; the results JSON goes to stdout', async () => {
    const workload = federatedWorkload(emu);
    writeFileSync(
      join(dir, 'ops.yml'),
      ['- name: projects', '  method: GET', '  url: _apis/projects', '  select: value[].name', ''].join('\n')
    );
    const run = await runCli(
      [
        'run',
        '--federated-token-env',
        'TOKEN',
        ...federatedArgs(workload.clientId),
        '--operations-file',
        'ops.yml'
      ],
      { TOKEN: workload.token }
    );
    expect(run.stderr).not.toContain('error:');
    expect(run.exitCode).toBe(0);
    const results = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Array.isArray(results.projects)).toBe(true);
    expect((results.projects as string[]).length).toBeGreaterThan(0);
    expect(emu.requestsFor('devops').map((r) => r.path)).toEqual([
      '/contoso/_apis/connectionData',
      '/contoso/_apis/projects'
    ]);
    expectNoLeaks(run);
  });
});

describe('CLI: bad arguments fail with exit 2 before any request', () => {
  const guid = '8a3c1f2e-1111-4222-8333-944445555666';
  test.each<[string, string[], Record<string, string>, string]>([
    ['no command', [], {}, 'No command given. Use one of: token, exec, run'],
    ['an unknown command', ['login'], {}, "Unknown command 'login'"],
    ['an unknown option', ['token', '--client-secret', 'x'], {}, "Unknown option '--client-secret'"],
    ['no way to authenticate', ['token'], {}, 'No way to authenticate was chosen'],
    [
      'two ways to authenticate',
      ['token', '--managed-identity', '--azure-cli'],
      {},
      "Options '--managed-identity' and '--azure-cli' each choose a way to authenticate"
    ],
    [
      'a client ID that is not a GUID',
      ['token', '--federated-token-env', 'T', '--client-id', 'release-bot', '--tenant-id', guid],
      { T: 'x.y.z' },
      "Option '--client-id' is 'release-bot'"
    ],
    [
      'a missing client ID',
      ['token', '--federated-token-env', 'T', '--tenant-id', guid],
      { T: 'x.y.z' },
      "Option '--client-id' is required"
    ],
    [
      'an empty token variable',
      ['token', '--federated-token-env', 'T', '--client-id', guid, '--tenant-id', guid],
      {},
      'names T, but that environment variable is not set'
    ],
    [
      'a missing token file',
      ['token', '--federated-token-file', '/no/such/file', '--client-id', guid, '--tenant-id', guid],
      {},
      "The federated token file '/no/such/file' (from --federated-token-file) does not exist"
    ],
    [
      'an http authority',
      [
        'token',
        '--federated-token-env',
        'T',
        '--client-id',
        guid,
        '--tenant-id',
        guid,
        '--authority-host',
        'http://login.example'
      ],
      { T: 'x.y.z' },
      'must use https'
    ],
    [
      'a managed identity with --tenant-id',
      ['token', '--managed-identity', '--tenant-id', guid],
      {},
      "Option '--tenant-id' does not apply with --managed-identity"
    ],
    [
      'operations on token',
      ['token', '--managed-identity', '--operations-file', 'x.yml'],
      {},
      "Option '--operations-file' applies to run only"
    ],
    [
      'run without operations',
      ['run', '--managed-identity', '--organization', 'contoso'],
      {},
      'The run command needs operations'
    ],
    ['exec without a command', ['exec', '--managed-identity'], {}, 'exec needs the command to run after --'],
    [
      'a bad organization',
      ['token', '--managed-identity', '--organization', 'https://example.com/contoso'],
      {},
      "Option '--organization' is 'https://example.com/contoso'"
    ],
    [
      'a bad operations document',
      ['run', '--managed-identity', '--organization', 'contoso', '--operations', '- method: FETCH\n  url: x'],
      {},
      'FETCH'
    ]
  ])('%s', async (_name, args, env, message) => {
    const run = await runCli(args, { ...emu.env.imds, ...env });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('error: '))
    ).toHaveLength(1);
    expect(emu.requests).toEqual([]);
  });

  test('--help lists every option and the exit codes; --version prints the version', async () => {
    const help = await runCli(['--help']);
    expect(help.exitCode).toBe(0);
    for (const option of [
      '--federated-token-file',
      '--federated-token-env',
      '--managed-identity',
      '--azure-cli',
      '--organization',
      '--operations-file',
      '--token-variable',
      '--json'
    ])
      expect(help.stdout).toContain(option);
    expect(help.stdout).toContain('Exit codes: 0 success');
    const version = await runCli(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout).toBe(`${pkg.version}\n`);
  });
});
