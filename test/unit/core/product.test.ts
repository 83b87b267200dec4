import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { PRODUCT_NAME, PRODUCT_VERSION, userAgent } from '../../../src/core/product.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };

describe('product', () => {
  test('the name and version are those of package.json', () => {
    expect(PRODUCT_NAME).toBe(pkg.name);
    expect(PRODUCT_VERSION).toBe(pkg.version);
  });

  test('the user agent names the product, its version, the platform and node', () => {
    expect(userAgent('GitHub Actions')).toBe(
      `${pkg.name}/${pkg.version} (GitHub Actions; node ${process.versions.node})`
    );
  });
});
