import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { userAgent } from '../../../src/core/product.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };

describe('product', () => {
  test('the user agent names the product, its version, the platform and node', () => {
    expect(userAgent('GitHub Actions')).toBe(
      `${pkg.name}/${pkg.version} (GitHub Actions; node ${process.versions.node})`
    );
  });
});
