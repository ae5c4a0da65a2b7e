import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { sign, verify } from './signature.js';

describe('webhook signatures', () => {
  const body = '{"event":"notification.opened"}';
  const at = 1_767_225_600;

  it('is the HMAC-SHA256 of "<time>.<body>" under the secret, in hex', () => {
    const mac = createHmac('sha256', 'topsecret-0123456789').update(`${at}.${body}`).digest('hex');
    expect(sign('topsecret-0123456789', body, at)).toBe(`t=${at},v1=${mac}`);
  });

  it('verifies for the right secret and body, and refuses tampering, another secret and old deliveries', () => {
    const header = sign('topsecret-0123456789', body, at);
    const now = at * 1000 + 10_000;
    expect(verify('topsecret-0123456789', body, header, 300, now)).toBe(true);
    expect(verify('topsecret-0123456789', body.replace('opened', 'resolved'), header, 300, now)).toBe(false);
    expect(verify('another-secret-0000000', body, header, 300, now)).toBe(false);
    expect(verify('topsecret-0123456789', body, header, 300, now + 3_600_000)).toBe(false);
    expect(verify('topsecret-0123456789', body, 'garbage', 300, now)).toBe(false);
  });
});
