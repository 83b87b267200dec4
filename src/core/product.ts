/** Kept in step with package.json, task.json and vss-extension.json by the contract test. */
export const PRODUCT_NAME = 'azure-devops-entra-token';
export const PRODUCT_VERSION = '1.0.0';

export function userAgent(platform: string): string {
  return `${PRODUCT_NAME}/${PRODUCT_VERSION} (${platform}; node ${process.versions.node})`;
}
