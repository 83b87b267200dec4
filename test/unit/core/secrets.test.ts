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

  test('redact replaces the longest secret first whatever the order they were masked in', () => {
    for (const order of [
      ['abcdef', 'abcdefgh', 'abcdefghij'],
      ['abcdefghij', 'abcdefgh', 'abcdef'],
      ['abcdefgh', 'abcdefghij', 'abcdef']
    ]) {
      const { guard } = createTestGuard();
      for (const secret of order) guard.mask(secret);
      expect(guard.redact('1 abcdefghij 2 abcdefgh 3 abcdef 4')).toBe('1 *** 2 *** 3 *** 4');
    }
  });

  test('mask keeps a value with a lone CR for redaction but never gives it to the platform', () => {
    const { platform, guard } = createTestGuard();
    expect(guard.mask('secret-one\rsecret-two')).toBe('secret-one\rsecret-two');
    expect(platform.secrets()).toEqual([]);
    expect(guard.redact('x secret-one\rsecret-two y')).toBe('x *** y');
  });

  test('mask skips only lines that start with -----, not lines that end with it', () => {
    const { platform, guard } = createTestGuard();
    guard.mask('-----not-a-line-to-mask\nsecret-ends-----');
    expect(platform.secrets()).toEqual(['secret-ends-----']);
  });

  test('mask skips blank lines of a multi-line value', () => {
    const { platform, guard } = createTestGuard();
    guard.mask('first-line\n\n      \nsecond-line');
    expect(platform.secrets()).toEqual(['first-line', 'second-line']);
  });

  test('maskKnown skips a blank value and registers a padded one both as given and trimmed', () => {
    const { platform, guard } = createTestGuard();
    guard.maskKnown('   ');
    guard.maskKnown('\t');
    expect(platform.secrets()).toEqual([]);
    guard.maskKnown(' pw1 ');
    expect(platform.secrets()).toEqual([' pw1 ', 'pw1']);
    expect(guard.redact('u:pw1@proxy')).toBe('u:***@proxy');
  });

  test('contains counts a secret of exactly six characters, not a known one of five', () => {
    const { guard } = createTestGuard();
    guard.mask('abc123');
    guard.maskKnown('pw-12');
    expect(guard.contains('xabc123y')).toBe(true);
    expect(guard.contains('pw-12')).toBe(false);
    expect(guard.contains('abc12')).toBe(false);
  });

  test('info and warning show line breaks escaped; debug keeps them', () => {
    const { platform, guard } = createTestGuard();
    guard.info('a\nb\tc');
    guard.warning('a\r\nb');
    guard.debug('a\r\nb\tc');
    expect(platform.calls).toEqual([
      { kind: 'info', value: 'a\\nb\tc' },
      { kind: 'warning', value: 'a\\r\\nb' },
      { kind: 'debug', value: 'a\nb\tc' }
    ]);
  });
});
