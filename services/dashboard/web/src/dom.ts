/** Builds an element; strings become text nodes, never markup (data from the API is always shown as text). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((e: Event) => void)> = {},
  ...children: (Node | string | number | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, ''), value);
    else if (typeof value === 'boolean') node.toggleAttribute(name, value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Any value as plain text: strings as they are, numbers and booleans printed, the rest as JSON. */
const asText = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'
      ? v.toString()
      : (JSON.stringify(v) ?? '');

/** A labelled figure: the overview's tiles, a product's stock. */
export const tile = (label: string, value: Node | string, attrs: Record<string, string>) =>
  el('div', { class: 'tile', ...attrs }, el('span', { class: 'label' }, label), el('strong', {}, value));

export const fmt = (x: unknown, digits = 0): string =>
  typeof x === 'number' && Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : x === null || x === undefined
      ? '—'
      : asText(x);

/** A CSV cell: quoted, and a leading = + - @ (a spreadsheet formula) neutralised with a quote mark. */
export const csvCell = (value: unknown): string => {
  let text = value === null || value === undefined ? '' : asText(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
};

export function downloadCsv(name: string, columns: string[], rows: Record<string, unknown>[]): void {
  const csv = [
    columns.map(csvCell).join(','),
    ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(',')),
  ].join('\n');
  const link = el('a', {
    href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })),
    download: `${name}.csv`,
  });
  document.body.append(link);
  link.click();
  link.remove();
}

export interface Column<T> {
  key: string;
  label: string;
  render?: (row: T) => Node | string | number | null;
}

/** A table of `rows`, with a CSV export of exactly what it shows. */
export function table<T extends Record<string, unknown>>(
  name: string,
  columns: Column<T>[],
  rows: T[],
  onRow?: (row: T) => void,
): HTMLElement {
  const head = el('tr', {}, ...columns.map((c) => el('th', {}, c.label)));
  const body = rows.map((row) =>
    el(
      'tr',
      onRow ? { class: 'clickable', onclick: () => onRow(row) } : {},
      ...columns.map((c) =>
        el(
          'td',
          {},
          c.render
            ? c.render(row)
            : fmt(row[c.key], typeof row[c.key] === 'number' && !Number.isInteger(row[c.key]) ? 2 : 0),
        ),
      ),
    ),
  );
  const exportButton = el(
    'button',
    {
      type: 'button',
      class: 'csv',
      'data-csv': name,
      onclick: () =>
        downloadCsv(
          name,
          columns.map((c) => c.key),
          rows,
        ),
    },
    'Export CSV',
  );
  return el(
    'div',
    { class: 'table', 'data-table': name },
    el('div', { class: 'table-tools' }, el('span', {}, `${rows.length} rows`), exportButton),
    el(
      'table',
      {},
      el('thead', {}, head),
      el(
        'tbody',
        {},
        ...(body.length ? body : [el('tr', {}, el('td', { colspan: columns.length }, 'Nothing yet'))]),
      ),
    ),
  );
}
