import { PARTITIONED_SERVICES } from '@stockpulse/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { withCategoryTotals, type Value } from './category-totals.js';
import { BROADCAST, MERGED_LISTS, mergePages, orderOf, ownerOf, type Page } from './fanout.js';
import { ROUTES, upstreamFailure } from './forward.routes.js';
import { mergedStream } from './merged-stream.js';
import { replicaMergeOf, type Answer } from './replica-merges.js';

const PASSED = ['content-type', 'authorization', 'x-api-key', 'accept'];

/**
 * The routes of the partitioned services when PARTITIONS > 1 (fanout.ts says how each is answered); with one
 * partition the gateway forwards them as it does every other route.
 */
export const partitionedRoutes: FastifyPluginAsync<{
  /** Each partitioned service's replicas, in replica order. */
  replicas: Record<string, string[]>;
  partitions: number;
  timeoutMs: number;
}> = async (app, { replicas: replicasOf, partitions, timeoutMs }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const call = async (
    service: string,
    base: string,
    request: FastifyRequest,
    search: string,
    path = new URL(request.url, 'http://gateway').pathname,
    body: unknown = request.body,
  ): Promise<Answer> => {
    const headers = Object.fromEntries(
      PASSED.flatMap((h) => (typeof request.headers[h] === 'string' ? [[h, request.headers[h]]] : [])),
    );
    try {
      const res = await fetch(`${base}${path}${search}`, {
        method: request.method,
        headers,
        ...(Buffer.isBuffer(body) && body.length ? { body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const disposition = res.headers.get('content-disposition');
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        body: Buffer.from(await res.arrayBuffer()),
        ...(disposition ? { headers: { 'content-disposition': disposition } } : {}),
      };
    } catch (err) {
      const failure = upstreamFailure(service, base, err as Error);
      return {
        status: failure.status,
        type: 'application/json',
        body: Buffer.from(JSON.stringify(failure.body)),
      };
    }
  };
  /** A replica's first `need` items of a list, asked a page of at most `max` at a time; or its failure. */
  const firstItems = async (
    service: string,
    base: string,
    request: FastifyRequest,
    query: URLSearchParams,
    need: number,
    max: number,
  ): Promise<Page | Answer> => {
    const page: Page = { items: [], total: 0 };
    do {
      const each = new URLSearchParams(query);
      const asked = Math.min(max, need - page.items.length);
      each.set('offset', String(page.items.length));
      each.set('limit', String(asked));
      const answer = await call(service, base, request, `?${each.toString()}`);
      if (answer.status !== 200) return answer;
      const got = JSON.parse(answer.body.toString('utf8')) as Page;
      page.items.push(...got.items);
      page.total = got.total;
      if (got.items.length < asked) break;
    } while (page.items.length < need);
    return page;
  };
  const send = (reply: FastifyReply, a: Answer) =>
    reply
      .headers(a.headers ?? {})
      .status(a.status)
      .type(a.type ?? 'application/json')
      .send(a.body);

  if (replicasOf.notifier) mergedStream(app, '/api/notifications/stream', replicasOf.notifier);
  for (const { prefix, service } of ROUTES.filter((r) => PARTITIONED_SERVICES.includes(r.service))) {
    const replicas = replicasOf[service]!;
    /** Each replica's part of the category values of a window kind, between two window starts. */
    const parts = (request: FastifyRequest, query: URLSearchParams) => (from: string, to: string) =>
      Promise.all(
        replicas.map(async (r) => {
          const window = query.get('window') ?? 'hour';
          const search = `?${new URLSearchParams({ window, from, to }).toString()}`;
          // the client's headers (its API key), on a GET of the processor's own route
          const get = { method: 'GET', headers: request.headers, url: request.url } as FastifyRequest;
          const answer = await call(service, r, get, search, '/api/metrics/category-values');
          if (answer.status !== 200) throw new Error(`${r} answered ${answer.status}`);
          return (JSON.parse(answer.body.toString('utf8')) as { items: Value[] }).items;
        }),
      );
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const url = new URL(request.url, 'http://gateway');
      const query = url.searchParams;
      // a list as JSON (`format` absent or json), or a list its service also writes as CSV
      const format = query.get('format') ?? 'json';
      const listed = request.method === 'GET' ? MERGED_LISTS[url.pathname] : undefined;
      const merged = format === 'json' || (format === 'csv' && listed?.csv) ? listed : undefined;
      const owner = ownerOf(query, partitions);
      const merge = owner === undefined ? replicaMergeOf(request.method, url.pathname) : undefined;
      if (merge) {
        const ask = (r: string, search: string, body?: Buffer) =>
          call(service, r, request, search, url.pathname, body ?? request.body);
        const answer = await merge(
          {
            all: (search, body) => Promise.all(replicas.map((r) => ask(r, search, body))),
            one: (i, search, body) => ask(replicas[i]!, search, body),
            partitions,
          },
          query,
          request.body,
        );
        return send(reply, answer);
      }
      if (owner !== undefined) {
        const answer = await call(service, replicas[owner]!, request, url.search);
        if (url.pathname !== '/api/metrics' || answer.status !== 200) return send(reply, answer);
        // one store's windows, with the category figure over every store
        return reply.send(
          await withCategoryTotals(JSON.parse(answer.body.toString('utf8')) as Page, parts(request, query)),
        );
      }
      const offset = Number(query.get('offset') ?? 0);
      const limit = Number(query.get('limit') ?? merged?.defaultLimit);
      // a page the service itself would refuse goes to one replica, which answers why
      const valid = Number.isInteger(offset) && offset >= 0 && Number.isInteger(limit) && limit >= 1;
      if (merged && valid && limit <= merged.maxLimit) {
        // CSV: every replica's whole list, as JSON pages, merged and written as the service writes it
        const csv = format === 'csv' ? merged.csv : undefined;
        const asked = new URLSearchParams(query);
        asked.delete('format');
        const need = csv ? Infinity : offset + limit;
        const pages = await Promise.all(
          replicas.map((r) => firstItems(service, r, request, asked, need, merged.maxLimit)),
        );
        const failed = pages.find((p): p is Answer => 'status' in p);
        if (failed) return send(reply, failed);
        const order = orderOf(merged, query);
        if (csv) {
          const all = mergePages(pages as Page[], order, 0, Infinity, merged.field).items;
          return reply.type(csv.type).header('content-disposition', csv.disposition).send(csv.write(all));
        }
        const page = mergePages(pages as Page[], order, offset, limit, merged.field);
        if (url.pathname !== '/api/metrics') return reply.send(page);
        // stock value by category over every store: the replicas' parts added up
        return reply.send(await withCategoryTotals(page, parts(request, query)));
      }
      if (request.method !== 'GET' && BROADCAST.some((p) => url.pathname.startsWith(p))) {
        const body = request.method === 'POST' ? oneRecord(request.body, url.pathname) : request.body;
        const answers = await Promise.all(
          replicas.map((r) => call(service, r, request, url.search, url.pathname, body)),
        );
        // written everywhere: the first refusal if any; a delete succeeds where any replica had it
        const ok = answers.find((a) => a.status < 300);
        const refused = answers.find((a) => a.status >= 400 && a.status !== 404);
        return send(reply, refused ?? ok ?? answers[0]!);
      }
      // a record named by id: the replica that knows it (each in turn, so that a write lands once)
      let answer: Answer | undefined;
      for (const r of replicas) {
        answer = await call(service, r, request, url.search);
        if (answer.status !== 404) break;
      }
      return send(reply, answer!);
    };
    app.all(prefix, handler);
    app.all(`${prefix}/*`, handler);
  }
};

/**
 * A new webhook's (or mute's) body with its id (and a webhook's secret) chosen here, so that every replica
 * stores the same record (and signs with the secret the client gets back); anything else is passed on as it
 * is, to be judged by the notifier.
 */
function oneRecord(body: unknown, path: string): unknown {
  if (!Buffer.isBuffer(body)) return body;
  try {
    const hook = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (typeof hook !== 'object' || hook === null || Array.isArray(hook)) return body;
    if (path === '/api/mutes') {
      hook.id ??= `mu-${randomUUID()}`;
    } else {
      hook.id ??= `wh-${randomUUID()}`;
      hook.secret ??= randomBytes(24).toString('base64url');
    }
    return Buffer.from(JSON.stringify(hook));
  } catch {
    return body;
  }
}
