import { constructTable, createColumnHelper, type SortingState } from '@tanstack/table-core';
import { api, readAll, withParams, type List } from './api.js';
import { downloadCsv, el } from './dom.js';
import { route, setParams } from './url-state.js';

export type { TableColumn };
export interface DataTableOptions<T extends Row> {
  /** Its name: in the URL (`<name>.page`, …), the CSV file and `data-table`. */
  name: string;
  columns: TableColumn<T>[];
  /** The API list with its filters (`/anomalies?detector=rules`); paging, sort and search are added. */
  source: () => string;
  /** The list takes `q`: a search box. */
  search?: boolean;
  onRow?: (row: T) => void;
  /** The largest page the API gives (for the CSV export of the whole filtered list). */
  maxLimit?: number;
}

import { features, render, SIZES, tools, type Row, type TableColumn } from './table-view.js';

const MAX_EXPORT = 100_000;

const toSort = (sorting: SortingState) => sorting.map((s) => `${s.desc ? '-' : ''}${s.id}`).join(',');
const fromSort = (text: string | null): SortingState =>
  (text ?? '')
    .split(',')
    .filter(Boolean)
    .map((s) => ({ id: s.replace(/^-/, ''), desc: s.startsWith('-') }));

/**
 * A table of an API list paged, sorted and searched on the server (TanStack Table keeps its sorting and
 * paging state; the rows in the page are one page at most), its state in the URL, and a CSV export of the
 * whole filtered, sorted list.
 */
export function dataTable<T extends Row>(options: DataTableOptions<T>) {
  const { name } = options;
  const helper = createColumnHelper<typeof features, T>();
  const columns = helper.columns(
    options.columns.map((c) =>
      helper.accessor((row: T) => (c.value ? c.value(row) : row[c.key]), {
        id: c.key,
        header: c.label,
        enableSorting: c.sortable !== false,
      }),
    ),
  );
  const byKey = new Map(options.columns.map((c) => [c.key, c]));
  const state = () => {
    const p = route().params;
    const size = Number(p.get(`${name}.size`));
    return {
      q: p.get(`${name}.q`) ?? '',
      sorting: fromSort(p.get(`${name}.sort`)),
      pagination: {
        pageIndex: Math.max(0, Number(p.get(`${name}.page`) ?? 1) - 1 || 0),
        pageSize: SIZES.includes(size) ? size : SIZES[0]!,
      },
    };
  };
  const query = (s: ReturnType<typeof state>) => ({ sort: toSort(s.sorting), q: options.search ? s.q : '' });

  const root = el('div', { class: 'table', 'data-table': name });
  const search = el('input', {
    type: 'search',
    name: `${name}-q`,
    placeholder: 'Search',
    maxlength: 128,
    'aria-label': `Search ${name}`,
  });
  let typing: number | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(() => {
      setParams({ [`${name}.q`]: search.value.trim(), [`${name}.page`]: null });
      void refresh();
    }, 300);
  });

  const exportAll = async () => {
    const s = state();
    const path = withParams(options.source(), query(s));
    const { items } = await readAll<T>(path, MAX_EXPORT, options.maxLimit);
    const flat = items.map((r) =>
      Object.fromEntries(options.columns.map((c) => [c.key, c.value ? c.value(r) : r[c.key]])),
    );
    downloadCsv(
      name,
      options.columns.map((c) => c.key),
      flat,
    );
  };

  let latest = 0;
  const refresh = async () => {
    const mine = ++latest;
    const s = state();
    root.setAttribute('aria-busy', 'true');
    const { pageIndex, pageSize } = s.pagination;
    const page = await api<List<T>>(
      withParams(options.source(), {
        ...query(s),
        limit: String(pageSize),
        offset: String(pageIndex * pageSize),
      }),
    ).finally(() => mine === latest && root.setAttribute('aria-busy', 'false'));
    if (mine !== latest) return;
    // a page past the end (the list shrank, or an old link): the last page instead
    const last = Math.ceil(page.total / pageSize);
    if (!page.items.length && last > 0 && pageIndex + 1 > last) {
      setParams({ [`${name}.page`]: String(last) });
      return refresh();
    }
    if (document.activeElement !== search) search.value = s.q;
    const go = (updates: Record<string, string | null>) => {
      setParams(updates);
      void refresh();
    };
    const table = constructTable({
      features,
      columns,
      data: page.items,
      manualSorting: true,
      manualPagination: true,
      rowCount: page.total,
      // a table per page of data: its state is the URL's, and changes go back to the URL
      initialState: { sorting: s.sorting, pagination: s.pagination },
      onSortingChange: (updater) => {
        const next = typeof updater === 'function' ? updater(s.sorting) : updater;
        go({ [`${name}.sort`]: toSort(next), [`${name}.page`]: null });
      },
      onPaginationChange: (updater) => {
        const next = typeof updater === 'function' ? updater(s.pagination) : updater;
        go({ [`${name}.page`]: String(next.pageIndex + 1), [`${name}.size`]: String(next.pageSize) });
      },
    });
    root.replaceChildren(
      tools(table, page.total, options.search ? search : null, exportAll),
      render(table, byKey, options.onRow),
    );
  };
  return { root, refresh };
}
