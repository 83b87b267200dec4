import { createTestGuard } from '../fakes.js';

const PEM_BODY = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  'VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1G',
  'ab=='
];
const PEM = ['-----BEGIN PRIVATE KEY-----', ...PEM_BODY, '-----END PRIVATE KEY-----', ''].join('\n');

describe('createSecretGuard', () => {
  test('mask registers a value with the platform once and returns it', () => {
    const { platform, guard } = createTestGuard();
    expect(guard.mask('s3cr3t-value')).toBe('s3cr3t-value');
    expect(guard.mask('s3cr3t-value')).toBe('s3cr3t-value');
    expect(platform.secrets()).toEqual(['s3cr3t-value']);
  });

  test('mask registers each line of a PEM except the ----- lines, never the multi-line whole', () => {
    const { platform, guard } = createTestGuard();
    const pem = PEM.replace(/\n/g, '\r\n');
    expect(guard.mask(pem)).toBe(pem);
    // 'ab==' is too short to mask without redacting unrelated text.
    expect(platform.secrets()).toEqual(PEM_BODY.slice(0, 2));
    // The whole PEM is still redacted from text the core writes.
    expect(guard.redact(`key:${pem}end`)).toBe('key:***end');
  });

  test('mask ignores values shorter than six characters', () => {
    const { platform, guard } = createTestGuard();
    expect(guard.mask('abc12')).toBe('abc12');
    expect(platform.secrets()).toEqual([]);
    expect(guard.redact('abc12 stays')).toBe('abc12 stays');
  });

  test('mask registers a value of exactly six characters', () => {
    const { platform, guard } = createTestGuard();
    expect(guard.mask('abc123')).toBe('abc123');
    expect(platform.secrets()).toEqual(['abc123']);
    expect(guard.redact('x abc123 y')).toBe('x *** y');
  });

  test('mask passes undefined, empty and blank values through without registering', () => {
    const { platform, guard } = createTestGuard();
    expect(guard.mask(undefined)).toBeUndefined();
    expect(guard.mask('')).toBe('');
    expect(guard.mask('   ')).toBe('   ');
    // Long enough to be a secret, but masking blanks would redact every indentation.
    expect(guard.mask('      ')).toBe('      ');
    expect(guard.mask(' \n  \t \r\n   ')).toBe(' \n  \t \r\n   ');
    expect(platform.calls).toEqual([]);
    expect(guard.redact('a      b')).toBe('a      b');
  });

  test('mask registers a single-line value trimmed of surrounding blanks, and redacts both forms', () => {
    const { platform, guard } = createTestGuard();
    expect(guard.mask('  s3cr3t-value  ')).toBe('  s3cr3t-value  ');
    expect(platform.secrets()).toEqual(['s3cr3t-value', '  s3cr3t-value  ']);
    expect(guard.redact('[s3cr3t-value]')).toBe('[***]');
  });

  test('mask keeps a PEM-like line that does not start with ----- ', () => {
    const { platform, guard } = createTestGuard();
    guard.mask('line-one-abc\nhas ----- inside');
    expect(platform.secrets()).toEqual(['line-one-abc', 'has ----- inside']);
  });

  test('redact replaces every occurrence, longest secret first', () => {
    const { guard } = createTestGuard();
    guard.mask('token-123');
    guard.mask('token-123456789');
    expect(guard.redact('a token-123456789 b token-123 c token-123456789')).toBe('a *** b *** c ***');
  });

  test('redact leaves text without secrets unchanged', () => {
    const { guard } = createTestGuard();
    guard.mask('hunter2hunter2');
    expect(guard.redact('nothing to hide here')).toBe('nothing to hide here');
  });

  test('info, warning and debug are redacted before they reach the platform', () => {
    const { platform, guard } = createTestGuard();
    guard.mask('client-secret-value');
    guard.mask(PEM);
    guard.info('secret is client-secret-value');
    guard.warning(`line ${PEM_BODY[1] ?? ''} leaked`);
    guard.debug(`pem:\n${PEM}`);
    expect(platform.calls.filter((c) => c.kind !== 'setSecret')).toEqual([
      { kind: 'info', value: 'secret is ***' },
      { kind: 'warning', value: 'line *** leaked' },
      { kind: 'debug', value: 'pem:\n***' }
    ]);
  });

  // Regression (fixed): a proxy password shorter than six characters was never masked.
  test('maskKnown registers and redacts a known secret whatever its length', () => {
    const { platform, guard } = createTestGuard();
    guard.maskKnown('pw1');
    guard.maskKnown('pw1');
    guard.maskKnown('');
    expect(platform.secrets()).toEqual(['pw1']);
    expect(guard.redact('connect to http://u:pw1@proxy failed')).toBe('connect to http://u:***@proxy failed');
  });

  test('contains finds a registered secret in text without naming it; short known secrets do not count', () => {
    const { guard } = createTestGuard();
    guard.mask('s3cr3t-value');
    guard.maskKnown('pw');
    expect(guard.contains('Bearer s3cr3t-value')).toBe(true);
    expect(guard.contains('s3cr3t-valu')).toBe(false);
    expect(guard.contains('pw and more')).toBe(false);
  });
});
