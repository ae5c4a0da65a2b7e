import { connect } from './api.js';
import { el } from './dom.js';
import { Filters } from './filters.js';
import { anomalies } from './sections/anomalies.js';
import { forecasts } from './sections/forecasts.js';
import { ingestion } from './sections/ingestion.js';
import { metrics } from './sections/metrics.js';
import { notifications } from './sections/notifications.js';
import { overview } from './sections/overview.js';
import { product } from './sections/product.js';
import { replenishment } from './sections/replenishment.js';
import { testMode } from './sections/testmode.js';
import { productSearch } from './product-search.js';
import { route } from './url-state.js';
import './style.css';

const main = document.getElementById('main')!;
const filters = new Filters(document.getElementById('filters')!);

/** Each section: its own element, built once, refreshed when shown and by its live events. */
const sections = {
  overview: { title: 'Overview', build: overview },
  ingestion: { title: 'Ingestion', build: ingestion },
  metrics: { title: 'Metrics', build: (root: HTMLElement) => metrics(root, filters) },
  forecasts: { title: 'Forecasts', build: (root: HTMLElement) => forecasts(root, filters) },
  anomalies: { title: 'Anomalies', build: (root: HTMLElement) => anomalies(root, filters) },
  replenishment: { title: 'Replenishment', build: replenishment },
  notifications: { title: 'Notifications', build: notifications },
  'test-mode': { title: 'Test mode', build: testMode },
  product: { title: 'Product', build: product },
};
type Name = keyof typeof sections;
/** Sections reached from a link, not from the navigation. */
const UNLISTED: Name[] = ['product'];

const notice = document.getElementById('notice')!;
/** The section the URL names; an unknown one shows the overview and says so. */
function current(): Name {
  const { name } = route();
  const known = Object.hasOwn(sections, name);
  notice.hidden = known || name === '';
  notice.textContent = known || name === '' ? '' : `There is no section “${name}”: here is the overview.`;
  return known ? (name as Name) : 'overview';
}
const built = new Map<Name, { root: HTMLElement; refresh: () => Promise<void> }>();

function show(name: Name): void {
  for (const [other, s] of built) s.root.hidden = other !== name;
  let section = built.get(name);
  if (!section) {
    const root = el('section', { id: `section-${name}`, 'data-section': name });
    main.append(root);
    section = { root, refresh: sections[name].build(root) };
    built.set(name, section);
  }
  section.root.hidden = false;
  document.getElementById('filters')!.hidden = !['metrics', 'forecasts', 'anomalies'].includes(name);
  for (const link of document.querySelectorAll('#nav a')) {
    const active = link.getAttribute('href') === `#${name}`;
    link.classList.toggle('active', active);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  section
    .refresh()
    .catch((err: Error) =>
      section.root.prepend(el('p', { class: 'warning' }, `Could not load: ${err.message}`)),
    );
}

document.getElementById('nav')!.append(
  ...Object.entries(sections)
    .filter(([name]) => !UNLISTED.includes(name as Name))
    .map(([name, s]) => el('a', { href: `#${name}` }, s.title)),
);
window.addEventListener('hashchange', () => show(current()));
productSearch(document.getElementById('product-search')!);

const theme = document.getElementById('theme')!;
const setTheme = (dark: boolean) => {
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  theme.textContent = dark ? 'Light theme' : 'Dark theme';
  localStorage.setItem('theme', dark ? 'dark' : 'light');
};
theme.addEventListener('click', () => setTheme(document.documentElement.dataset.theme !== 'dark'));
setTheme(
  (localStorage.getItem('theme') ??
    (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')) === 'dark',
);

const key = document.getElementById('api-key') as HTMLInputElement;
key.value = localStorage.getItem('api-key') ?? '';
key.addEventListener('change', () =>
  key.value ? localStorage.setItem('api-key', key.value) : localStorage.removeItem('api-key'),
);

const live = document.getElementById('live')!;
connect((text, ok) => {
  live.textContent = text;
  live.classList.toggle('ok', ok);
});
void filters.load();
show(current());
