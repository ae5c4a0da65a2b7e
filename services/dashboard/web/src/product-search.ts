import { api, type List } from './api.js';
import { el } from './dom.js';
import { productHref } from './url-state.js';

interface Found {
  product_id: string;
  store_location: string;
  description?: string;
}

const MIN_CHARS = 2;
const DEBOUNCE_MS = 250;
const LIMIT = 20;

/** Each search box of the page has its own ids (the header's, and one on the product page when it is lost). */
let instances = 0;

const optionText = (f: Found) =>
  `${f.product_id} at ${f.store_location}${f.description ? ` — ${f.description}` : ''}`;

/**
 * A product search: a combobox (ARIA 1.2: an input with a listbox of suggestions) over `GET /api/inventory?q=`,
 * asked 250 ms after the typing stops and from 2 characters on, showing "<product> at <store> — <description>"
 * for the first 20 matches. Enter (the highlighted suggestion, else the first), a click or a tap on one opens its
 * product page; arrows move through them, Escape closes the list.
 */
export function productSearch(container: HTMLElement): void {
  const id = `product-search-${++instances}`;
  const input = el('input', {
    id: `${id}-input`,
    type: 'search',
    name: 'product-search',
    placeholder: 'Find a product',
    autocomplete: 'off',
    spellcheck: false,
    maxlength: 128,
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': `${id}-list`,
    'data-product-search-input': '',
  });
  const list = el('ul', {
    id: `${id}-list`,
    role: 'listbox',
    class: 'product-search-list',
    'aria-label': 'Products found',
    hidden: true,
  });
  const status = el('span', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  container.append(
    el(
      'div',
      { class: 'product-search-box', 'data-product-search': '' },
      el('label', { for: input.id, class: 'visually-hidden' }, 'Find a product (id, description, store)'),
      input,
      list,
      status,
    ),
  );

  let found: Found[] = [];
  let active = -1;
  let typing: number | undefined;
  let latest = 0;
  /** The text the suggestions shown are for (Enter before they arrive asks at once). */
  let shownFor = '';

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (index: number) => {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === index));
      if (i === index) {
        input.setAttribute('aria-activedescendant', option.id);
        option.scrollIntoView({ block: 'nearest' });
      }
    });
    if (index < 0) input.removeAttribute('aria-activedescendant');
  };
  const choose = (f: Found) => {
    clearTimeout(typing);
    latest++;
    close();
    input.value = '';
    found = [];
    shownFor = '';
    location.hash = productHref(f.store_location, f.product_id);
  };
  const draw = (text: string, items: Found[], total: number) => {
    found = items;
    shownFor = text;
    active = -1;
    list.replaceChildren(
      ...(items.length
        ? items.map((f, i) =>
            el(
              'li',
              {
                id: `${id}-option-${i}`,
                role: 'option',
                'aria-selected': 'false',
                'data-store': f.store_location,
                'data-product': f.product_id,
                // mousedown, not click: the input keeps its focus (its blur would close the list first)
                onmousedown: (e: Event) => {
                  e.preventDefault();
                  choose(f);
                },
              },
              optionText(f),
            ),
          )
        : [el('li', { class: 'muted', role: 'presentation' }, `No product matches “${text}”`)]),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    input.removeAttribute('aria-activedescendant');
    status.textContent = items.length
      ? `${total} ${total === 1 ? 'product' : 'products'} found${total > items.length ? `, first ${items.length} shown` : ''}`
      : 'No product found';
  };

  const ask = async (text: string) => {
    const mine = ++latest;
    try {
      const page = await api<List<Found>>(
        `/inventory?q=${encodeURIComponent(text)}&limit=${LIMIT}&sort=product_id,store_location`,
      );
      if (mine === latest && input.value.trim() === text) draw(text, page.items, page.total);
    } catch (err) {
      if (mine !== latest) return;
      found = [];
      shownFor = '';
      list.replaceChildren(
        el('li', { class: 'warning', role: 'presentation' }, `Search failed: ${(err as Error).message}`),
      );
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(typing);
    const text = input.value.trim();
    if (text.length < MIN_CHARS) {
      latest++;
      found = [];
      shownFor = '';
      status.textContent = '';
      return close();
    }
    typing = window.setTimeout(() => void ask(text), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (list.hidden || !found.length) return;
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      highlight((active + step + found.length) % found.length);
    } else if (e.key === 'Escape') {
      if (!list.hidden) e.preventDefault();
      close();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const text = input.value.trim();
      if (text.length < MIN_CHARS) return;
      if (shownFor === text && found.length) return choose(found[active] ?? found[0]!);
      // typed faster than the suggestions came: ask now, and open the first match
      clearTimeout(typing);
      void ask(text).then(() => {
        if (shownFor === text && found[0]) choose(found[0]);
      });
    }
  });
  input.addEventListener('blur', close);
  input.addEventListener('focus', () => {
    if (found.length && shownFor === input.value.trim()) {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
  });
}
