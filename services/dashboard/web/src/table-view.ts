import { rowPaginationFeature, rowSortingFeature, tableFeatures, type Table } from '@tanstack/table-core';
import { storeReactivityBindings } from '@tanstack/table-core/store-reactivity-bindings';
import { el, fmt } from './dom.js';

export type Row = Record<string, unknown>;
export interface TableColumn<T extends Row> {
  key: string;
  label: string;
  render?: (row: T) => Node | string | number | null;
  /** Its value, where it is not `row[key]` (a nested field): shown, and exported. */
  value?: (row: T) => unknown;
  /** False where the API cannot sort by it. */
  sortable?: boolean;
}

/** TanStack Table's features the tables use: sorting and paging (both done by the server). */
export const features = tableFeatures({
  coreReactivityFeature: storeReactivityBindings(),
  rowSortingFeature,
  rowPaginationFeature,
});
export const SIZES = [25, 50, 100];

/** A `severity` column, coloured by its class (`sev-critical`, …). */
export const severityColumn = <T extends Row & { severity: string }>(): TableColumn<T> => ({
  key: 'severity',
  label: 'severity',
  render: (row) => el('span', { class: `sev-${row.severity}` }, row.severity),
});

/** The search box, the count, page size, previous/next and the export. */
export function tools<T extends Row>(
  table: Table<typeof features, T>,
  total: number,
  search: HTMLElement | null,
  exportAll: () => Promise<void>,
) {
  const { pageIndex, pageSize } = table.atoms.pagination.get();
  const pages = Math.max(1, table.getPageCount());
  const size = el(
    'select',
    {
      'aria-label': 'rows per page',
      onchange: (e: Event) => table.setPageSize(Number((e.target as HTMLSelectElement).value)),
    },
    ...SIZES.map((n) =>
      el('option', { value: n, ...(n === pageSize ? { selected: true } : {}) }, `${n} per page`),
    ),
  );
  return el(
    'div',
    { class: 'table-tools' },
    search,
    el('span', { 'data-total': total }, `${fmt(total)} rows`),
    size,
    el(
      'button',
      {
        type: 'button',
        'data-page': 'previous',
        disabled: !table.getCanPreviousPage(),
        onclick: () => table.previousPage(),
      },
      '‹ Previous',
    ),
    el('span', { 'data-page-of': '' }, `page ${fmt(pageIndex + 1)} of ${fmt(pages)}`),
    el(
      'button',
      {
        type: 'button',
        'data-page': 'next',
        disabled: !table.getCanNextPage(),
        onclick: () => table.nextPage(),
      },
      'Next ›',
    ),
    el('button', { type: 'button', class: 'csv', onclick: () => void exportAll() }, 'Export CSV'),
  );
}

/** The header (a sortable column's label is a button; `aria-sort` says how it is sorted) and one page of rows. */
export function render<T extends Row>(
  table: Table<typeof features, T>,
  byKey: Map<string, TableColumn<T>>,
  onRow?: (row: T) => void,
) {
  // numbers align right (a column is numeric when the page's values are numbers, absent ones aside)
  const page = table.getRowModel().rows;
  const numeric = new Set(
    [...byKey.keys()].filter((key) => {
      const values = page.map((row) => row.getValue(key)).filter((v) => v !== null && v !== undefined);
      return values.length > 0 && values.every((v) => typeof v === 'number');
    }),
  );
  const align = (key: string): Record<string, string> => (numeric.has(key) ? { class: 'number' } : {});
  const head = table.getHeaderGroups().map((group) =>
    el(
      'tr',
      {},
      ...group.headers.map((header) => {
        const column = header.column;
        const label = byKey.get(column.id)!.label;
        if (!column.getCanSort()) return el('th', { scope: 'col', ...align(column.id) }, label);
        const sorted = column.getIsSorted();
        return el(
          'th',
          {
            scope: 'col',
            ...align(column.id),
            'aria-sort': sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none',
          },
          el(
            'button',
            {
              type: 'button',
              class: 'sort',
              'data-sort': column.id,
              onclick: (e: Event) => column.getToggleSortingHandler()?.(e),
            },
            label,
            sorted ? (sorted === 'asc' ? ' ▲' : ' ▼') : '',
          ),
        );
      }),
    ),
  );
  const rows = page.map((row) =>
    el(
      'tr',
      onRow ? { class: 'clickable', onclick: () => onRow(row.original) } : {},
      ...row.getAllCells().map((cell) => {
        const column = byKey.get(cell.column.id)!;
        const value = cell.getValue();
        return el(
          'td',
          align(cell.column.id),
          column.render
            ? column.render(row.original)
            : fmt(value, typeof value === 'number' && !Number.isInteger(value) ? 2 : 0),
        );
      }),
    ),
  );
  const width = byKey.size;
  return el(
    'div',
    { class: 'table-scroll' },
    el(
      'table',
      {},
      el('thead', {}, ...head),
      el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: width }, 'Nothing here'))])),
    ),
  );
}
