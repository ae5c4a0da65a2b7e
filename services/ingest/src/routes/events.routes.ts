import { parseSort, type FastifyPluginAsyncTypebox } from '@stockpulse/service-kit';
import { formatOf, splitBody } from '../domain/body.js';
import { checkRecord, type AcceptedRecord } from '../domain/record.js';
import { EVENT_ORDER, EVENT_SORTS, type EventsRepository } from '../db/events.repository.js';
import { ErrorResponse, EventQuery, IngestResponse } from '../schemas.js';

const TEXT_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
];

/** `POST /api/events` (JSON, NDJSON, CSV; each record on its own) and `GET /api/events` (most recently received first unless sorted; searched with `q`). */
export const eventsRoutes: FastifyPluginAsyncTypebox<{
  events: EventsRepository;
  bodyLimit: number;
}> = async (app, { events, bodyLimit }) => {
  app.addContentTypeParser(TEXT_TYPES, { parseAs: 'string', bodyLimit }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/events',
    { bodyLimit, schema: { response: { 202: IngestResponse, 400: ErrorResponse, 415: ErrorResponse } } },
    async (request, reply) => {
      const format = formatOf(request.headers['content-type']);
      if (!format) {
        return reply.status(415).send({
          error: {
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: `send application/json, application/x-ndjson or text/csv (got ${request.headers['content-type'] ?? 'no content type'})`,
          },
        });
      }
      const split = splitBody(format, request.body);
      if (!split.ok) return reply.status(400).send({ error: { code: split.code, message: split.message } });
      if (!split.records.length) {
        return reply
          .status(400)
          .send({ error: { code: 'NO_RECORDS', message: 'the body holds no records' } });
      }
      const valid: AcceptedRecord[] = [];
      const rejected: { index: number; errors: { field: string; message: string }[] }[] = [];
      split.records.forEach((raw, index) => {
        const lineError = split.lineErrors.get(index);
        if (lineError)
          return void rejected.push({ index, errors: [{ field: '(line)', message: lineError }] });
        const result = checkRecord(raw, { text: split.text });
        if (result.ok) valid.push(result.record);
        else rejected.push({ index, errors: result.errors });
      });
      if (!valid.length) {
        const n = split.records.length;
        return reply.status(400).send({
          error: {
            code: 'NO_VALID_RECORDS',
            message: n === 1 ? 'the record is not valid' : `none of the ${n} records is valid`,
            details: { rejected },
          },
        });
      }
      const result = events.ingest(valid, { source: 'api', correlationId: request.id });
      return reply.status(202).send({ ...result, rejected });
    },
  );

  app.get('/api/events/stats', async () => events.stats());

  app.get('/api/events', { schema: { querystring: EventQuery } }, async (request) => {
    const { limit, offset, sort, q, ...filter } = request.query;
    return events.list({ ...filter, q }, { limit, offset, order: parseSort(sort, EVENT_ORDER, EVENT_SORTS) });
  });
};
