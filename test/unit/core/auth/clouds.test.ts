import { describe, expect, test } from '@jest/globals';
import { AZURE_DEVOPS_SCOPE, CLOUD_NAMES, CLOUDS, findCloud } from '../../../../src/core/auth/clouds.js';

describe('findCloud', () => {
  test.each([
    ['AzureCloud', 'AzureCloud'],
    ['azurecloud', 'AzureCloud'],
    ['AZUREUSGOVERNMENT', 'AzureUSGovernment'],
    ['  AzureChinaCloud\n', 'AzureChinaCloud']
  ])('finds %j', (name, expected) => {
    expect(findCloud(name)).toBe(expected);
  });

  test.each(['', ' ', 'Azure', 'AzureGermanCloud', 'Azure Cloud'])('finds no cloud named %j', (name) => {
    expect(findCloud(name)).toBeUndefined();
  });

  test('every cloud has its authority host and audience', () => {
    expect(CLOUD_NAMES).toEqual(['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']);
    expect(CLOUDS.AzureUSGovernment).toEqual({
      authorityHost: 'https://login.microsoftonline.us',
      audience: 'api://AzureADTokenExchangeUSGov'
    });
    expect(AZURE_DEVOPS_SCOPE).toBe('499b84ac-1321-427f-aa17-267ca6975798/.default');
  });
});
