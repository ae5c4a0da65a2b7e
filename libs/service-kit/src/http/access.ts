import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServiceApp } from './create-app.js';

export interface AccessKeys {
  /** Required by every write (POST, PUT, PATCH, DELETE) under /api when set. */
  apiKey?: string | undefined;
  /** Required by reads under /api when set (the write key is accepted too). */
  readApiKey?: string | undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
/** Equal in constant time (the digests have one length whatever the inputs). */
const same = (given: string, key: string) => timingSafeEqual(digest(given), digest(key));

/** The key a request carries: `x-api-key`, or `authorization: Bearer <key>`. */
function presented(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct) return direct;
  const auth = headers.authorization;
  return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

/** Headers for a service calling another one of the platform: the strongest key it has. */
export const keyHeaders = (keys: AccessKeys | undefined): Record<string, string> => {
  const key = keys?.apiKey ?? keys?.readApiKey;
  return key ? { 'x-api-key': key } : {};
};

/**
 * API keys on `/api`: with API_KEY set, every write needs it; with READ_API_KEY set too, reads need either.
 * `/health`, `/ready`, `/metrics` and `/openapi.json` stay open (operations and documentation). 401 names
 * what is missing; the keys themselves never reach a log (the logger redacts the headers).
 */
export function requireKeys(app: ServiceApp, keys: AccessKeys | undefined): void {
  const { apiKey, readApiKey } = keys ?? {};
  if (!apiKey && !readApiKey) return;
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') && request.url !== '/api') return;
    const write = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    const needed = write ? apiKey : readApiKey;
    if (!needed) return;
    const given = presented(request.headers);
    const ok = given !== undefined && (same(given, needed) || (!write && !!apiKey && same(given, apiKey)));
    if (ok) return;
    return reply.status(401).send({
      error: {
        code: 'UNAUTHORIZED',
        message: `${write ? 'writes need' : 'reads need'} the API key: send it as the x-api-key header (or Authorization: Bearer)`,
      },
    });
  });
}
