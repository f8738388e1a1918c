import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/capture/redactor.js';
import { boundRequestContext } from '../../src/capture/request-context.js';
import { requestFromAttributes } from '../../src/engine/request-context.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig-nat_ure';

describe('the request a record keeps', () => {
  const redactor = new Redactor();

  it('is bounded and redacted by one rule, from a web framework or from span attributes', () => {
    const long = `/videos/${'x'.repeat(1000)}`;
    const framework = boundRequestContext(
      {
        method: 'G'.repeat(200),
        route: '/videos/:id',
        path: `${long}?token=s3cr3t`,
        status: 1000,
        peer: `jwt ${JWT}`,
      },
      redactor,
    );
    const span = requestFromAttributes(
      {
        'http.request.method': 'G'.repeat(200),
        'http.route': '/videos/:id',
        'url.full': `https://clips.example${long}?token=s3cr3t`,
        'http.response.status_code': 1000,
        'client.address': `jwt ${JWT}`,
      },
      1,
      redactor,
    );
    for (const request of [framework, span]) {
      expect(request?.method).toBe(`${'G'.repeat(128)}…[truncated 72 chars]`);
      expect(request?.path?.startsWith(long.slice(0, 512))).toBe(true);
      expect(request?.path?.endsWith('…[truncated 496 chars]')).toBe(true);
      expect(request?.path).toMatch(/^\/videos\/x+/);
      expect(request?.status).toBeUndefined();
      expect(JSON.stringify(request)).not.toContain('s3cr3t');
      expect(JSON.stringify(request)).not.toContain(JWT);
    }
    expect(framework).toEqual(span);
  });

  it('keeps a status only when it is three digits', () => {
    expect(boundRequestContext({ status: 404 }, redactor)).toEqual({ status: 404 });
    expect(boundRequestContext({ status: 99 }, redactor)).toEqual({});
    expect(boundRequestContext({ status: 404.5 }, redactor)).toEqual({});
  });
});
