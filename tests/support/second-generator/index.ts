import { CATEGORIES, productType } from './catalogue.js';
import { createInjector, type Label } from './inject.js';
import { createRandom, streamSeed, type Random } from './random.js';
import { createSimulation, type Day, type InventoryEvent, type Product, type Store } from './simulate.js';

export type { InventoryEvent } from './simulate.js';
export { KINDS, type AnomalyKind, type Label } from './inject.js';
export { CATEGORIES, categoryOf } from './catalogue.js';

export interface SecondOptions {
  seed: number;
  /** Stores (default 5): each carries every product. */
  stores?: number;
  /** Products (default 20): the six categories in turn. */
  products?: number;
  /** Days of clean history first (default 60), then days in which anomalies are injected (default 30). */
  cleanDays?: number;
  anomalyDays?: number;
  /** Share of the anomaly period's reports turned into labelled anomalies (default 0.03). */
  share?: number;
  /** The last day, `YYYY-MM-DD` (default 2026-06-01). */
  end?: string;
}

export interface SecondDataset {
  /** Every report in time order, stores interleaved; injected reports replace the clean ones. */
  events: InventoryEvent[];
  labels: Label[];
  /** How many events the clean period holds (they come first). */
  history: number;
}

const DAY_MS = 86_400_000;
// retail parks and high streets; past the list, names repeat with a number ("Leeds Kirkstall 2")
const STORE_NAMES = `Leeds Kirkstall, Bristol Cribbs Causeway, Norwich Riverside, York Monks Cross, Cardiff Bay,
  Glasgow Fort, Sheffield Meadowhall, Exeter Marsh Barton, Leicester Fosse Park, Reading Calcot, Derby Kingsway,
  Swindon Orbital, Aberdeen Beach Boulevard, Hull Kingswood, Plymouth Marsh Mills, Nottingham Castle Marina,
  Milton Keynes Central, Oxford Botley Road, Cambridge Newmarket Road, Brighton Hollingbury, Stockport Peel Centre,
  Wigan Robin Park, Ipswich Futura Park, Lincoln Tritton Road, Chester Greyhound Park, Durham Arnison, Swansea Morfa,
  Inverness Telford Street, Belfast Boucher Road, Edinburgh Straiton, Dundee Kingsway, Bolton Middlebrook,
  Coventry Arena Park, Preston Deepdale, Carlisle Kingstown, Truro Treliske, Gloucester Quays, Northampton Sixfields,
  Peterborough Serpentine Green, Southampton West Quay, Canterbury Wincheap, Harrogate Hornbeam Park,
  Newport Spytty Park, Stoke Festival Park, Worcester Blackpole, Luton Gipsy Lane, Kendal Mintsfeet`;
// a chain has more medium and small stores than large ones
const SIZES = [1, 0.5, 2.5, 1, 0.5];

/**
 * A seeded, labelled data set of daily store × product reports, independent of ingest's generator: its own
 * catalogue, demand, restocking and prices, and its own way of injecting each kind of anomaly.
 * The same options always give the same output (no clock, no Math.random).
 */
export function generateSecond(options: SecondOptions): SecondDataset {
  const o = resolve(options);
  const days = o.cleanDays + o.anomalyDays;
  const calendar = createCalendar(o.end, days);
  const stores = createStores(o.stores, createRandom(streamSeed(o.seed, 'stores')));
  const products = createProducts(o.products, days, createRandom(streamSeed(o.seed, 'products')));
  const simulate = createSimulation(o.seed, stores, products);
  const anomalies = Math.round(o.share * (o.stores * o.products * o.anomalyDays));
  const inject = createInjector(createRandom(streamSeed(o.seed, 'anomalies')), anomalies, o.anomalyDays);
  const events: InventoryEvent[] = [];
  const labels: Label[] = [];
  calendar.forEach((day, d) => {
    const reports = simulate(d, day);
    if (d >= o.cleanDays) labels.push(...inject(reports, d - o.cleanDays));
    // a day's reports all fall between 20:00Z and 22:07Z, so sorting day by day orders the whole stream
    reports.sort((a, b) => a.at - b.at || a.series - b.series);
    for (const r of reports) events.push(r.event);
  });
  return { events, labels, history: o.stores * o.products * o.cleanDays };
}

function resolve(options: SecondOptions): Required<SecondOptions> {
  const { seed, stores = 5, products = 20, cleanDays = 60, anomalyDays = 30, share = 0.03 } = options;
  const counts = [stores, products, cleanDays + 1, anomalyDays + 1];
  check(Number.isSafeInteger(seed), `seed must be an integer (got ${seed})`);
  check(
    counts.every((n) => Number.isSafeInteger(n) && n >= 1),
    'want integers: stores, products ≥ 1, days ≥ 0',
  );
  check(share >= 0 && share <= 1, `share must be within [0, 1] (got ${share})`);
  return { seed, stores, products, cleanDays, anomalyDays, share, end: options.end ?? '2026-06-01' };
}

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new RangeError(`generateSecond: ${message}`);
}

function createCalendar(end: string, days: number): Day[] {
  const last = Date.parse(`${end}T00:00:00Z`);
  check(/^\d{4}-\d{2}-\d{2}$/.test(end) && Number.isFinite(last), `end must be YYYY-MM-DD (got ${end})`);
  return Array.from({ length: days }, (_, d) => {
    const date = new Date(last - (days - 1 - d) * DAY_MS);
    const dayOfYear = Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    const iso = date.toISOString().slice(0, 10);
    return { stamp: `${iso}T`, compact: iso.replaceAll('-', ''), dayOfWeek: date.getUTCDay(), dayOfYear };
  });
}

function createStores(count: number, rng: Random): Store[] {
  const names = STORE_NAMES.split(/,\s*/);
  for (let i = names.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  return Array.from({ length: count }, (_, index) => ({
    index,
    name: `${names[index % names.length]}${index < names.length ? '' : ` ${Math.floor(index / names.length) + 1}`}`,
    scale: SIZES[index % SIZES.length]!,
    // closing time 20:00, 20:30, …, 22:00 UTC: stores report a few minutes after they close
    closeMinute: 20 * 60 + 30 * rng.int(0, 4),
  }));
}

function createProducts(count: number, days: number, rng: Random): Product[] {
  const ids = new Set<string>();
  const descriptions = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    let type = productType(category, rng);
    // unique while the catalogue has combinations left (about a hundred per category), then repeats are fine
    for (let t = 0; descriptions.has(type.description) && t < 50; t++) type = productType(category, rng);
    descriptions.add(type.description);
    let id = '';
    while (!id || ids.has(id)) id = `${category.code}-${rng.int(10000, 99999)}`;
    ids.add(id);
    const rate = Math.exp(rng.uniform(Math.log(type.rate[0]), Math.log(type.rate[1])));
    // shelf prices end in .49, .79 or .99, as a retailer's do
    const listPrice = Math.floor(rng.uniform(...type.price)) + rng.pick([0.49, 0.79, 0.99]);
    const trend = rng.uniform(-0.2, 0.2);
    return { id, category, description: type.description, rate, trend, ...planPrices(listPrice, days, rng) };
  });
}

const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * A product's shelf price per day, chain-wide: a promotion of 10–35 % off for 7–14 days every 3–8 weeks (two
 * or three a quarter) and, about 1.5 times a year, a permanent list-price rise of 2–9 %. Rises never fall
 * inside a promotion or on the day after, so a promotion always ends at the price it started from.
 */
function planPrices(listPrice: number, days: number, rng: Random) {
  const price = new Float64Array(days);
  const discount = new Float64Array(days);
  let [list, off, promoEnd, nextPromo] = [listPrice, 0, -1, rng.int(0, 40)];
  for (let d = 0; d < days; d++) {
    if (d === nextPromo) {
      off = cents(rng.uniform(0.1, 0.35));
      promoEnd = d + rng.int(7, 14) - 1;
      nextPromo = promoEnd + rng.int(14, 45);
    }
    if (d > promoEnd + 1 && rng.bernoulli(1 / 240)) list = cents(list * rng.uniform(1.02, 1.09));
    discount[d] = d <= promoEnd ? off : 0;
    price[d] = d <= promoEnd ? cents(list * (1 - off)) : list;
  }
  return { price, discount };
}
