import { connect } from './api.js';
import { el } from './dom.js';
import { Filters } from './filters.js';
import { anomalies } from './sections/anomalies.js';
import { forecasts } from './sections/forecasts.js';
import { ingestion } from './sections/ingestion.js';
import { metrics } from './sections/metrics.js';
import { notifications } from './sections/notifications.js';
import { overview } from './sections/overview.js';
import { testMode } from './sections/testmode.js';
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
  notifications: { title: 'Notifications', build: notifications },
  'test-mode': { title: 'Test mode', build: testMode },
};
type Name = keyof typeof sections;
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
  for (const link of document.querySelectorAll('#nav a'))
    link.classList.toggle('active', link.getAttribute('href') === `#${name}`);
  section
    .refresh()
    .catch((err: Error) =>
      section.root.prepend(el('p', { class: 'warning' }, `Could not load: ${err.message}`)),
    );
}

document
  .getElementById('nav')!
  .append(...Object.entries(sections).map(([name, s]) => el('a', { href: `#${name}` }, s.title)));
window.addEventListener('hashchange', () => show((location.hash.slice(1) || 'overview') as Name));

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
show((location.hash.slice(1) || 'overview') as Name);
