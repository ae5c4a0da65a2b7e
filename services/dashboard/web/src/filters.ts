import { api, type List } from './api.js';
import { el } from './dom.js';

/** Store, category and time range, shared by every panel that reads metrics. */
export class Filters {
  private readonly store = el('select', { name: 'store' }, el('option', { value: '' }, 'All stores'));
  private readonly category = el(
    'select',
    { name: 'category' },
    el('option', { value: '' }, 'All categories'),
  );
  private readonly from = el('input', { type: 'date', name: 'from' });
  private readonly to = el('input', { type: 'date', name: 'to' });
  private readonly listeners = new Set<() => void>();

  constructor(root: HTMLElement) {
    for (const input of [this.store, this.category, this.from, this.to]) {
      input.addEventListener('change', () => this.listeners.forEach((l) => l()));
    }
    root.replaceChildren(
      el('label', {}, 'Store ', this.store),
      el('label', {}, 'Category ', this.category),
      el('label', {}, 'From ', this.from),
      el('label', {}, 'To ', this.to),
    );
  }

  /** Fills the choices from the current stock. */
  async load(): Promise<void> {
    const stock = await api<List<{ store_location: string; category: string }>>('/inventory?limit=10000');
    const fill = (select: HTMLSelectElement, values: string[]) => {
      const keep = select.value;
      select.replaceChildren(select.options[0]!, ...values.map((v) => el('option', { value: v }, v)));
      select.value = keep;
    };
    fill(this.store, [...new Set(stock.items.map((s) => s.store_location))].sort());
    fill(this.category, [...new Set(stock.items.map((s) => s.category))].sort());
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** The filters as query parameters (`&store=…`), only those asked for. */
  query(keys: ('store' | 'category' | 'from' | 'to')[] = ['store', 'category', 'from', 'to']): string {
    const values = {
      store: this.store.value,
      category: this.category.value,
      from: this.from.value ? `${this.from.value}T00:00:00Z` : '',
      to: this.to.value ? `${this.to.value}T23:59:59Z` : '',
    };
    return keys.map((k) => (values[k] ? `&${k}=${encodeURIComponent(values[k])}` : '')).join('');
  }
}
