import { describe, expect, it } from 'vitest';
import { keySegments } from '../../src/capture/key-segments.js';
import { Redactor } from '../../src/capture/redactor.js';

const redactor = new Redactor();

describe('Redactor.isSensitiveKey', () => {
  it.each([
    'password',
    'passwd',
    'secret',
    'token',
    'api_key',
    'apikey',
    'authorization',
    'cookie',
    'set-cookie',
    'private_key',
    'credentials',
    'x-api-key',
    'access_token',
    'refresh_token',
    'client_secret',
    'PASSWORD',
    'apiKey',
    'XApiKey',
    'userPassword',
    'db.password',
    'AWS_SECRET_ACCESS_KEY',
    'sessionId',
    'Proxy-Authorization',
    '密码',
  ])('treats %s as sensitive', (key) => {
    expect(redactor.isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'author',
    'keyboard',
    'monkey',
    'tokenizer',
    'authority',
    'passage',
    'secretary',
    'videoHash',
    'phase',
    'key',
    'keys',
    'tokenizer_count',
  ])('keeps %s, which only contains a sensitive word inside a longer one', (key) => {
    expect(redactor.isSensitiveKey(key)).toBe(false);
  });

  it('splits keys into whole segments on punctuation and camelCase humps', () => {
    expect(keySegments('XApiKey')).toEqual(['x', 'api', 'key']);
    expect(keySegments('HTTPProxy_auth-token.v2')).toEqual(['http', 'proxy', 'auth', 'token', 'v2']);
    expect(keySegments('__proto__')).toEqual(['proto']);
    expect(keySegments('视频Hash')).toEqual(['视频', 'hash']);
  });

  it('extends the built-in list with extra keys and never replaces it', () => {
    const custom = new Redactor({ keys: ['ssn', 'video-secret-hash', /^x-internal-/i] });
    expect(custom.isSensitiveKey('user_ssn')).toBe(true);
    expect(custom.isSensitiveKey('videoSecretHash')).toBe(true);
    expect(custom.isSensitiveKey('X-Internal-Trace')).toBe(true);
    expect(custom.isSensitiveKey('password')).toBe(true);
    expect(custom.isSensitiveKey('lesson')).toBe(false);
  });

  it('accepts __proto__ and constructor as extra keys without polluting anything', () => {
    const custom = new Redactor({ keys: ['__proto__', 'constructor', 'hasOwnProperty'] });
    expect(custom.isSensitiveKey('constructor')).toBe(true);
    expect(custom.isSensitiveKey('__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).proto).toBeUndefined();
    expect(custom.isSensitiveKey('name')).toBe(false);
  });

  it('rejects options of the wrong type at construction', () => {
    expect(() => new Redactor({ censor: 5 as unknown as string })).toThrow(TypeError);
    expect(() => new Redactor({ keys: 'password' as unknown as string[] })).toThrow(TypeError);
    expect(() => new Redactor({ keys: [42 as unknown as string] })).toThrow(TypeError);
    expect(() => new Redactor({ keys: ['--'] })).toThrow(/no letters or digits/);
    expect(() => new Redactor({ patterns: ['x' as unknown as RegExp] })).toThrow(TypeError);
  });
});

describe('Redactor.redactString', () => {
  it.each([
    ['a bearer token', 'GET /v1 failed: Bearer abcDEF123.456-xyz', 'GET /v1 failed: Bearer [Filtered]'],
    [
      'a basic credential',
      'Authorization header Basic dXNlcjpwYXNzd29yZA==',
      'Authorization header Basic [Filtered]',
    ],
    ['a JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig-nat_ure rejected', 'jwt [Filtered] rejected'],
    ['an AWS access key id', 'key AKIAIOSFODNN7EXAMPLE is disabled', 'key [Filtered] is disabled'],
    [
      'a PEM private key',
      'bad key -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY----- in config',
      'bad key [Filtered] in config',
    ],
    ['a PEM key cut before its end', 'key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN', 'key: [Filtered]'],
    [
      'URL userinfo',
      'connect postgres://app:pa55@db.internal:5432/videos failed',
      'connect postgres://[Filtered]@db.internal:5432/videos failed',
    ],
    [
      'userinfo without a password',
      'https://deploy@git.example.com/repo',
      'https://[Filtered]@git.example.com/repo',
    ],
    [
      'secret query parameters',
      'GET https://cdn.example.com/v?token=abc123&part=2&api_key=K9&password=p#frag',
      'GET https://cdn.example.com/v?token=[Filtered]&part=2&api_key=[Filtered]&password=[Filtered]#frag',
    ],
    [
      'a JSON body in a message',
      'payload {"user":"ann","password":"hunter2"}',
      'payload {"user":"ann","password":"[Filtered]"}',
    ],
    [
      'key: value pairs',
      "config access_token: 'zz9' client_secret=abc",
      "config access_token: '[Filtered]' client_secret=[Filtered]",
    ],
    [
      'a GitHub token',
      'clone failed with ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'clone failed with [Filtered]',
    ],
    ['a grouped card number', 'charge 4111 1111 1111 1111 declined', 'charge [Filtered] declined'],
    ['an Amex number', 'card=378282246310005', 'card=[Filtered]'],
  ])('masks %s', (_kind, input, expected) => {
    expect(redactor.redactString(input)).toBe(expected);
  });

  it.each([
    ['tokenizer and author key=value pairs', 'tokenizer=bpe author=ann monkey=1 keyboard=us'],
    ['English after Basic and bearer', 'Basic configuration failed; bearer authentication disabled'],
    ['an ordinary URL', 'GET https://cdn.example.com/videos/3a7bd3e2f.mp4?part=2 returned 503'],
    ['an email address', 'notify ops@example.com about 3a7bd3e2f'],
    ['a stack frame', '    at encodeVideo (/app/src/encoder/token-bucket.ts:42:7)'],
    ['a key ending in a sensitive word', 'mytoken=abc'],
    ['a short string', 'token'],
    [
      'millisecond timestamps and a Luhn-invalid number',
      'at 1732838400000 id 4111111111111112 size 12345678901234',
    ],
  ])('leaves %s alone', (_kind, input) => {
    expect(redactor.redactString(input)).toBe(input);
  });

  it('masks a secret inside Chinese text and keeps the Chinese around it', () => {
    const input =
      '视频 3a7bd3e2f 上传失败：令牌：abc123XYZ，请检查 password=hunter2，或者 Bearer eyJhbGciOi.eyJzdWIi.c2ln 已过期';
    expect(redactor.redactString(input)).toBe(
      '视频 3a7bd3e2f 上传失败：令牌：[Filtered]，请检查 password=[Filtered]，或者 Bearer [Filtered] 已过期',
    );
  });

  it('applies extra patterns with the configured censor', () => {
    const custom = new Redactor({ patterns: [/\bVID-\d{6}\b/], censor: '***' });
    expect(custom.redactString('video VID-123456 and password=x failed')).toBe(
      'video *** and password=*** failed',
    );
  });

  it('is idempotent on its own output', () => {
    const once = redactor.redactString('password=hunter2 https://u:p@h/x Bearer abcDEF123456');
    expect(redactor.redactString(once)).toBe(once);
  });

  it('scans regex-DoS shapes and a 10 MB string and returns them unchanged', () => {
    const shapes = [
      `${'a'.repeat(100_000)}!`,
      'x'.repeat(10_000_000),
      `${'eyJ-'.repeat(100_000)}!`,
      `${'a.'.repeat(500_000)}@`,
      `${'http://'.repeat(100_000)}!`,
      `Bearer${' '.repeat(100_000)}!`,
      `${'-----BEGIN '.repeat(10_000)}!`,
      `${'a_'.repeat(500_000)}tokenizer`,
    ];
    for (const shape of shapes) expect(redactor.redactString(shape) === shape).toBe(true);
  });

  it('masks every one of many secrets in a long string', () => {
    const input = 'password=abc123 '.repeat(100_000);
    const out = redactor.redactString(input);
    expect(out).toBe('password=[Filtered] '.repeat(100_000));
  });
});
