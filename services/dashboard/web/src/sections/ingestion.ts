import { api, on, postJson, throttle } from '../api.js';
import { timeChart } from '../charts.js';
import { dataTable } from '../data-table.js';
import { el, table } from '../dom.js';
import { productHref } from '../url-state.js';

type Event = Record<string, unknown>;

/** Live event rate, recent events, demo data with progress, CSV upload with per-row errors. */
export function ingestion(root: HTMLElement): () => Promise<void> {
  const rate = el('div', { class: 'panel' });
  const events = dataTable<Event>({
    name: 'recent-events',
    source: () => '/events',
    search: true,
    columns: [
      ...['event_timestamp', 'store_location'].map((key) => ({ key, label: key.replace(/_/g, ' ') })),
      {
        key: 'product_id',
        label: 'product id',
        render: (e: Event) =>
          el(
            'a',
            { href: productHref(String(e.store_location), String(e.product_id)) },
            String(e.product_id),
          ),
      },
      ...['category', 'quantity', 'units_sold', 'price', 'description'].map((key) => ({
        key,
        label: key.replace(/_/g, ' '),
      })),
    ],
  });
  const recent = el('div', { class: 'panel' }, el('h3', {}, 'Events, newest first'), events.root);
  const progress = el('progress', { max: 100, value: 0, hidden: true });
  const jobStatus = el('span', { 'data-job': '' });
  const samples: { t: number; rate: number }[] = [];

  const days = el('input', { type: 'number', value: 30, min: 1, max: 730, name: 'days' });
  const anomalies = el('input', { type: 'number', value: 10, min: 0, max: 1000, name: 'anomalies' });
  const generate = el(
    'form',
    { class: 'inline' },
    el('label', {}, 'Days ', days),
    el('label', {}, ' anomalies ', anomalies),
    el('button', { type: 'submit' }, 'Generate demo data'),
    progress,
    jobStatus,
  );
  generate.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const { job_id } = await postJson<{ job_id: string }>('/generate', {
        days: Number(days.value),
        stores: 2,
        products: 10,
        anomalies: Number(anomalies.value),
        seed: Math.floor(Math.random() * 1e6),
      });
      progress.hidden = false;
      for (;;) {
        const job = await api<{ status: string; progress: number }>(`/jobs/${job_id}`);
        progress.value = 100 * job.progress;
        jobStatus.textContent = `${job_id}: ${job.status}`;
        if (job.status !== 'running' && job.status !== 'queued') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      await refresh();
    })();
  });

  const csv = el('textarea', {
    'aria-label': 'CSV text',
    rows: 5,
    cols: 80,
    name: 'csv',
    placeholder: 'product_id,store_location,category,quantity,price,event_timestamp',
  });
  const uploadResult = el('div', { 'data-upload-result': '' });
  const file = el('input', { type: 'file', accept: '.csv,text/csv', name: 'file', 'aria-label': 'CSV file' });
  file.addEventListener('change', () => void file.files?.[0]?.text().then((t) => (csv.value = t)));
  const upload = el(
    'form',
    {},
    el('p', {}, 'Upload a CSV (header row with the field names):'),
    file,
    el('br'),
    csv,
    el('br'),
    el('button', { type: 'submit' }, 'Upload'),
    uploadResult,
  );
  upload.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const res = await fetch('/api/events', {
        method: 'POST',
        headers: {
          'content-type': 'text/csv',
          ...(localStorage.getItem('api-key') ? { 'x-api-key': localStorage.getItem('api-key')! } : {}),
        },
        body: csv.value,
      });
      const body = (await res.json()) as {
        accepted?: number;
        duplicates?: number;
        rejected?: { index: number; errors: { field: string; message: string }[] }[];
        error?: {
          message: string;
          details?: { rejected?: { index: number; errors: { field: string; message: string }[] }[] };
        };
      };
      const rejected = body.rejected ?? body.error?.details?.rejected ?? [];
      uploadResult.replaceChildren(
        el(
          'p',
          {},
          res.ok
            ? `Accepted ${body.accepted}, duplicates ${body.duplicates}, rejected ${rejected.length}`
            : `Refused: ${body.error?.message ?? res.status}`,
        ),
        table(
          'upload-errors',
          [
            { key: 'row', label: 'Row' },
            { key: 'field', label: 'Field' },
            { key: 'message', label: 'Problem' },
          ],
          rejected.flatMap((r) =>
            r.errors.map((x) => ({ row: r.index + 1, field: x.field, message: x.message })),
          ),
        ),
      );
      await refresh();
    })();
  });

  const refresh = async () => {
    const [stats] = await Promise.all([
      api<{ events_per_second: number }>('/events/stats'),
      events.refresh(),
    ]);
    samples.push({ t: Date.now() / 1000, rate: stats.events_per_second });
    if (samples.length > 120) samples.shift();
    timeChart(
      rate,
      'Events per second (last minute, sampled live)',
      'event-rate',
      samples.map((s) => s.t),
      [{ label: 'events/s', values: samples.map((s) => s.rate) }],
    );
  };
  root.replaceChildren(
    el('h2', {}, 'Ingestion'),
    rate,
    el('h3', {}, 'Generate demo data'),
    generate,
    el('h3', {}, 'Upload'),
    upload,
    recent,
  );
  on(
    'metrics',
    throttle(() => void refresh(), 3000),
  );
  return refresh;
}
