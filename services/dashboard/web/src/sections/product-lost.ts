import { api, type List } from '../api.js';
import { el } from '../dom.js';
import { productSearch } from '../product-search.js';
import { productHref } from '../url-state.js';
import { enc, keyOf, named, type Stock } from './product-model.js';

/** No store or product, or one the store does not have: say so, where the product is known, and a search. */
export async function drawLost(lost: HTMLElement, store: string, id: string): Promise<void> {
  const search = el('div', { class: 'product-search' });
  const where = el('div');
  lost.replaceChildren(
    el('h3', {}, !store || !id ? 'Which product?' : 'Product not found'),
    el(
      'p',
      { role: 'status' },
      !store || !id
        ? 'This page shows one product at one store: the link needs both a store and a product. Find one:'
        : `The store “${store}” has no product “${id}” (none reported yet). Find another:`,
    ),
    search,
    where,
  );
  productSearch(search);
  if (!id) return;
  // the same product at other stores, when there is one
  const key = keyOf({ store, product: id });
  const elsewhere = await api<List<Stock>>(`/inventory?product=${enc(id)}&limit=20`).catch(() => null);
  if (!elsewhere?.items.length || keyOf(named()) !== key) return;
  where.replaceChildren(
    el('p', {}, `${id} is known at:`),
    el(
      'ul',
      {},
      ...elsewhere.items.map((s) =>
        el('li', {}, el('a', { href: productHref(s.store_location, s.product_id) }, s.store_location)),
      ),
    ),
  );
}
