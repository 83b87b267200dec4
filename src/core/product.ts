/** Kept in step with package.json, task.json and vss-extension.json by the contract test. */
// Stryker disable next-line StringLiteral: a module constant, run before any test starts (no per-test coverage); test/contract/contract.test.ts checks it against package.json.
export const PRODUCT_NAME = 'azure-devops-entra-token';
// Stryker disable next-line StringLiteral: as above.
export const PRODUCT_VERSION = '1.0.0';

export function userAgent(platform: string): string {
  return `${PRODUCT_NAME}/${PRODUCT_VERSION} (${platform}; node ${process.versions.node})`;
}
