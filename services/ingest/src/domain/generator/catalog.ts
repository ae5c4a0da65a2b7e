import type { Random } from './random.js';

export interface Store {
  name: string;
  /** Demand multiplier: a big store sells more of everything. */
  size: number;
  /** Hour (UTC) of the daily stock report. */
  reportHour: number;
}

export interface Product {
  id: string;
  category: string;
  description: string;
  basePrice: number;
  /** Mean units per day at a store of size 1, before seasonality and promotions. */
  baseDemand: number;
  /** Slow mover: sells on few days, several units at a time (Croston's case). */
  intermittent: boolean;
  /** Relative change of demand per day (e.g. 0.001 = +0.1 %/day). */
  trend: number;
  leadTimeDays: number;
}

interface CategoryProfile {
  name: string;
  price: [number, number];
  demand: [number, number];
  /** Demand by weekday, Sunday first. */
  weekly: number[];
  /** Day of year with the highest demand, and how much higher it is. */
  peakDay: number;
  seasonality: number;
  brands: string[];
  adjectives: string[];
  items: string[];
  features: string[];
}

/** The original system's five categories first (§2.7), then more for larger catalogues. */
export const CATEGORIES: CategoryProfile[] = [
  {
    name: 'Electronics',
    price: [15, 900],
    demand: [0.4, 6],
    weekly: [1.3, 0.8, 0.8, 0.9, 1, 1.2, 1.4],
    peakDay: 335,
    seasonality: 0.5,
    brands: ['Voltara', 'Nexon', 'Sonique', 'Lumen'],
    adjectives: ['wireless', 'compact', 'portable', 'smart', 'ultra-slim'],
    items: [
      'headphones',
      'charger',
      'speaker',
      'keyboard',
      'mouse',
      'webcam',
      'router',
      'tablet',
      'smartwatch',
      'power bank',
    ],
    features: [
      'with USB-C fast charging',
      'with noise cancelling',
      'with Bluetooth 5.3',
      'with 20-hour battery',
      'with 4K support',
    ],
  },
  {
    name: 'Clothing',
    price: [8, 180],
    demand: [1, 12],
    weekly: [1.4, 0.7, 0.8, 0.8, 0.9, 1.2, 1.6],
    peakDay: 100,
    seasonality: 0.35,
    brands: ['Northline', 'Urbane', 'Kestrel', 'Marlow'],
    adjectives: ['cotton', 'waterproof', 'slim-fit', 'wool', 'linen'],
    items: [
      't-shirt',
      'jacket',
      'jeans',
      'sweater',
      'dress',
      'hoodie',
      'scarf',
      'socks',
      'shorts',
      'raincoat',
    ],
    features: [
      'in navy blue',
      'with zip pockets',
      'in sizes S to XXL',
      'machine washable',
      'with a relaxed cut',
    ],
  },
  {
    name: 'Books',
    price: [6, 60],
    demand: [0.3, 5],
    weekly: [1.3, 0.8, 0.9, 0.9, 1, 1.1, 1.4],
    peakDay: 350,
    seasonality: 0.3,
    brands: ['Penwright', 'Folio', 'Harbour Press', 'Quill'],
    adjectives: ['illustrated', 'paperback', 'hardcover', 'revised', 'annotated'],
    items: [
      'novel',
      'cookbook',
      'travel guide',
      'biography',
      'atlas',
      'poetry collection',
      'history of Rome',
      'science primer',
    ],
    features: [
      'with 320 pages',
      'by an award-winning author',
      'second edition',
      'with colour photographs',
      'for young readers',
    ],
  },
  {
    name: 'Toys',
    price: [5, 120],
    demand: [0.3, 6],
    weekly: [1.5, 0.7, 0.7, 0.8, 0.9, 1.2, 1.6],
    peakDay: 350,
    seasonality: 0.9,
    brands: ['Playmore', 'Tinker', 'Brightbox', 'Wonderkin'],
    adjectives: ['wooden', 'colourful', 'educational', 'remote-control', 'plush'],
    items: [
      'puzzle',
      'building set',
      'doll',
      'toy car',
      'board game',
      'teddy bear',
      'kite',
      'train set',
      'marble run',
    ],
    features: [
      'for ages 3 and up',
      'with 500 pieces',
      'battery powered',
      'for two to four players',
      'made from recycled plastic',
    ],
  },
  {
    name: 'Food',
    price: [1, 25],
    demand: [4, 40],
    weekly: [1.5, 0.8, 0.8, 0.9, 1, 1.3, 1.6],
    peakDay: 355,
    seasonality: 0.15,
    brands: ['Green Valley', 'Harvest', 'Old Mill', 'Sunfield'],
    adjectives: ['organic', 'whole-grain', 'fresh', 'low-sugar', 'roasted'],
    items: [
      'coffee beans',
      'pasta',
      'olive oil',
      'granola',
      'rice',
      'tea',
      'peanut butter',
      'tomato sauce',
      'honey',
      'oat milk',
    ],
    features: ['in a 500 g pack', 'in a 1 l bottle', 'fair trade', 'gluten free', 'from local farms'],
  },
  {
    name: 'Home',
    price: [4, 250],
    demand: [0.5, 6],
    weekly: [1.4, 0.8, 0.8, 0.9, 1, 1.1, 1.5],
    peakDay: 120,
    seasonality: 0.25,
    brands: ['Casa', 'Hearth', 'Nordby', 'Loft'],
    adjectives: ['ceramic', 'stainless-steel', 'bamboo', 'non-stick', 'linen'],
    items: [
      'frying pan',
      'mug set',
      'bath towel',
      'table lamp',
      'storage box',
      'cutting board',
      'duvet cover',
      'vase',
    ],
    features: [
      'dishwasher safe',
      'in a set of four',
      'in matt grey',
      'with a lifetime warranty',
      'oven safe to 220 °C',
    ],
  },
  {
    name: 'Sports',
    price: [6, 400],
    demand: [0.3, 5],
    weekly: [1.5, 0.7, 0.8, 0.8, 0.9, 1.2, 1.6],
    peakDay: 150,
    seasonality: 0.45,
    brands: ['Stride', 'Apex', 'Trailhead', 'Velo'],
    adjectives: ['lightweight', 'breathable', 'adjustable', 'foldable', 'insulated'],
    items: [
      'running shoes',
      'yoga mat',
      'water bottle',
      'tennis racket',
      'bike helmet',
      'dumbbell set',
      'backpack',
      'football',
    ],
    features: [
      'for trail and road',
      'with a carry strap',
      'in three sizes',
      'with a non-slip grip',
      'rated to 10 bar',
    ],
  },
];

const STORES = [
  'NYC',
  'LA',
  'Chicago',
  'Houston',
  'Miami',
  'Seattle',
  'Boston',
  'Denver',
  'Atlanta',
  'Phoenix',
];

export interface Catalog {
  stores: Store[];
  products: Product[];
}

/** Stores, products with category-fitting descriptions, prices and demand profiles, all from the seed. */
export function buildCatalog(
  rng: Random,
  counts: { stores: number; products: number; categories: number },
): Catalog {
  const stores = Array.from({ length: counts.stores }, (_, i) => ({
    name: i < STORES.length ? STORES[i]! : `Store-${i + 1}`,
    size: Number(rng.between(0.6, 1.6).toFixed(2)),
    reportHour: rng.int(18, 23),
  }));
  const categories = CATEGORIES.slice(0, Math.min(counts.categories, CATEGORIES.length));
  const products = Array.from({ length: counts.products }, (_, i): Product => {
    const profile = categories[i % categories.length]!;
    const intermittent = rng.chance(0.2);
    const [minPrice, maxPrice] = profile.price;
    const [minDemand, maxDemand] = profile.demand;
    return {
      id: `P${String(i + 1).padStart(3, '0')}`,
      category: profile.name,
      description: `${rng.pick(profile.brands)} ${rng.pick(profile.adjectives)} ${rng.pick(profile.items)} ${rng.pick(profile.features)}`,
      basePrice: Number(Math.exp(rng.between(Math.log(minPrice), Math.log(maxPrice))).toFixed(2)),
      baseDemand: intermittent
        ? rng.between(0.1, 0.5)
        : Math.exp(rng.between(Math.log(minDemand), Math.log(maxDemand))),
      intermittent,
      trend: rng.between(-0.0015, 0.002),
      leadTimeDays: rng.int(2, 7),
    };
  });
  return { stores, products };
}

export function profileOf(category: string): CategoryProfile {
  return CATEGORIES.find((c) => c.name === category) ?? CATEGORIES[0]!;
}
