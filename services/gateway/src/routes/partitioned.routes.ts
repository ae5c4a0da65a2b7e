import { PARTITIONED_SERVICES } from '@stockpulse/contracts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { withCategoryTotals, type Value } from './category-totals.js';
import { BROADCAST, MERGED_LISTS, mergePages, ownerOf, type Page } from './fanout.js';
import { ROUTES, upstreamFailure } from './forward.routes.js';

const PASSED = ['content-type', 'authorization', 'x-api-key', 'accept'];

interface Answer {
  status: number;
  type: string | null;
  body: Buffer;
}

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
  ): Promise<Answer> => {
    const headers = Object.fromEntries(
      PASSED.flatMap((h) => (typeof request.headers[h] === 'string' ? [[h, request.headers[h]]] : [])),
    );
    try {
      const res = await fetch(`${base}${path}${search}`, {
        method: request.method,
        headers,
        ...(Buffer.isBuffer(request.body) && request.body.length ? { body: request.body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        body: Buffer.from(await res.arrayBuffer()),
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
      .status(a.status)
      .type(a.type ?? 'application/json')
      .send(a.body);

  for (const { prefix, service } of ROUTES.filter((r) => PARTITIONED_SERVICES.includes(r.service))) {
    const replicas = replicasOf[service]!;
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const url = new URL(request.url, 'http://gateway');
      const query = url.searchParams;
      const owner = ownerOf(query, partitions);
      if (owner !== undefined) return send(reply, await call(service, replicas[owner]!, request, url.search));
      const merged =
        request.method === 'GET' && !query.has('format') ? MERGED_LISTS[url.pathname] : undefined;
      const offset = Number(query.get('offset') ?? 0);
      const limit = Number(query.get('limit') ?? merged?.defaultLimit);
      // a page the service itself would refuse goes to one replica, which answers why
      if (merged && Number.isInteger(offset) && Number.isInteger(limit) && limit <= merged.maxLimit) {
        const pages = await Promise.all(
          replicas.map((r) => firstItems(service, r, request, query, offset + limit, merged.maxLimit)),
        );
        const failed = pages.find((p): p is Answer => 'status' in p);
        if (failed) return send(reply, failed);
        const page = mergePages(pages as Page[], merged.order, offset, limit);
        if (url.pathname !== '/api/metrics') return reply.send(page);
        // stock value by category over every store: the replicas' parts added up
        const window = query.get('window') ?? 'hour';
        const parts = (from: string, to: string) =>
          Promise.all(
            replicas.map(async (r) => {
              const search = `?${new URLSearchParams({ window, from, to }).toString()}`;
              const answer = await call(service, r, request, search, '/api/metrics/category-values');
              if (answer.status !== 200) throw new Error(`${r} answered ${answer.status}`);
              return (JSON.parse(answer.body.toString('utf8')) as { items: Value[] }).items;
            }),
          );
        return reply.send(await withCategoryTotals(page, parts));
      }
      if (request.method !== 'GET' && BROADCAST.some((p) => url.pathname.startsWith(p))) {
        const answers = await Promise.all(replicas.map((r) => call(service, r, request, url.search)));
        return send(reply, answers.find((a) => a.status >= 400) ?? answers[0]!);
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
