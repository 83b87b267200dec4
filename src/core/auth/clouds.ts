/** The Azure clouds users can name, with the Entra authority host and the OIDC audience each expects. */
export const CLOUDS = {
  AzureCloud: {
    authorityHost: 'https://login.microsoftonline.com',
    audience: 'api://AzureADTokenExchange'
  },
  AzureUSGovernment: {
    authorityHost: 'https://login.microsoftonline.us',
    audience: 'api://AzureADTokenExchangeUSGov'
  },
  AzureChinaCloud: {
    authorityHost: 'https://login.chinacloudapi.cn',
    audience: 'api://AzureADTokenExchangeChina'
  }
} as const;

export type CloudName = keyof typeof CLOUDS;
export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];

export function findCloud(name: string): CloudName | undefined {
  return CLOUD_NAMES.find((cloud) => cloud.toLowerCase() === name.trim().toLowerCase());
}

export const AZURE_DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';
export const AZURE_DEVOPS_SCOPE = `${AZURE_DEVOPS_RESOURCE}/.default`;
