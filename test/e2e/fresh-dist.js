// Global setup of the e2e project (jest.config.js): the tests run the committed dist/ bundles, so they refuse a
// dist/ built from other sources than the working tree's (a local edit without `npm run build`).
import { fileURLToPath } from 'node:url';
import { assertFreshDist } from '../../scripts/lib/build-stamp.mjs';

export default function checkDistIsFresh() {
  assertFreshDist(fileURLToPath(new URL('../../', import.meta.url)));
}
