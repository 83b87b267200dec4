#!/usr/bin/env node
// Runs the emulator standalone: `node test/emulator/cli.js [--https-port N] [--http-port N]`.
// Prints the URLs, identities and environment as JSON on stdout and stays up until SIGINT / SIGTERM.
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const { values } = parseArgs({
  options: { 'https-port': { type: 'string' }, 'http-port': { type: 'string' } }
});

const emu = await startEmulator({
  httpsPort: values['https-port'] === undefined ? 0 : Number(values['https-port']),
  httpPort: values['http-port'] === undefined ? 0 : Number(values['http-port'])
});

process.stdout.write(
  `${JSON.stringify(
    {
      httpsUrl: emu.httpsUrl,
      httpUrl: emu.httpUrl,
      proxyUrl: emu.proxyUrl,
      imdsUrl: emu.imdsUrl,
      caFile: emu.caFile,
      tenantId: emu.tenantId,
      tenantDomain: emu.tenantDomain,
      app: {
        clientId: emu.app.clientId,
        objectId: emu.app.objectId,
        displayName: emu.app.displayName,
        clientSecret: emu.app.clientSecret,
        federatedCredentials: emu.app.federatedCredentials
      },
      github: { issuer: emu.github.issuer, subject: emu.github.subject, requestUrl: emu.github.requestUrl },
      azurePipelines: {
        issuer: emu.azurePipelines.issuer,
        serviceConnectionId: emu.azurePipelines.serviceConnectionId,
        oidcRequestUri: emu.azurePipelines.oidcRequestUri,
        collectionUri: emu.azurePipelines.collectionUri
      },
      devops: { orgUrl: emu.devops.orgUrl },
      trap: { url: emu.trap.url },
      feeds: {
        npmRegistryUrl: emu.feeds.npmRegistryUrl(),
        nugetIndexUrl: emu.feeds.nugetIndexUrl(),
        pypiSimpleUrl: emu.feeds.pypiSimpleUrl()
      },
      appService: emu.appService,
      managedIdentity: emu.managedIdentity,
      env: emu.env
    },
    null,
    2
  )}\n`
);

let stopping = false;
/** @param {NodeJS.Signals} signal */
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  await emu.close();
  process.stderr.write(`Emulator stopped (${signal}).\n`);
  process.exit(0);
}
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
