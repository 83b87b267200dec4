import { describe, expect, test } from '@jest/globals';
import { failureMessage } from '../../../src/core/errors.js';
import { createTestGuard } from '../fakes.js';

describe('failureMessage', () => {
  test('the stack goes to the debug log only when debugging', () => {
    const error = new Error('boom');
    const quiet = createTestGuard();
    expect(failureMessage(error, quiet.guard, false)).toBe('boom');
    expect(quiet.platform.lines('debug')).toEqual([]);
    const debugging = createTestGuard();
    expect(failureMessage(error, debugging.guard, true)).toBe('boom');
    expect(debugging.platform.lines('debug')).toEqual([error.stack]);
  });

  test('a thrown value without a stack logs no debug line', () => {
    const { guard, platform } = createTestGuard();
    const error = new Error('no stack');
    error.stack = '';
    failureMessage(error, guard, true);
    failureMessage('a string was thrown', guard, true);
    expect(platform.lines('debug')).toEqual([]);
  });
});
