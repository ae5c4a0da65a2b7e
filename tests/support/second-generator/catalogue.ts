import type { Random } from './random.js';

/**
 * The second generator's own catalogue: six categories unlike the usual electronics/clothing/grocery trio.
 * A line reads `£lo-hi rate lo-hi: template`: the product type's price band, its daily sales at a medium store
 * and a description whose `{a|b}` groups each pick one option (the brand first, so brands fit the type).
 * Price bands are per product type, not per category: a drill and a box of screws share an aisle, not a price.
 */
export interface Category {
  name: string;
  code: string; // prefix of its product ids: DIY-40213
  /** Demand by day of week, Sunday first (Date.getUTCDay order), around 1. */
  weekday: readonly number[];
  /**
   * Season: × (1 + amplitude · cos(2π (dayOfYear − peak) / 365)). Promotion: × (1 / (1 − discount))^elasticity
   * (nappies are stocked up on, pills are not). Noise: a Poisson mixed by a gamma of shape `dispersion`.
   */
  demand: { peak: number; amplitude: number; elasticity: number; dispersion: number };
  lines: readonly string[];
}

export const CATEGORIES: readonly Category[] = [
  {
    name: 'Hardware & DIY',
    code: 'DIY',
    // weekend projects: Saturday and Sunday carry most of the week
    weekday: [1.45, 0.8, 0.8, 0.85, 0.9, 1.05, 1.6],
    demand: { peak: 110, amplitude: 0.15, elasticity: 1.8, dispersion: 6 },
    lines: [
      '£39-179 rate 0.1-0.8: {Bosch|Makita|DeWalt|Einhell} {18V|12V} cordless drill driver {body only|with charger and kit bag|with 2 batteries}',
      '£8-28 rate 0.2-1.5: {Stanley|Draper|Estwing} {16oz|20oz} claw hammer {with fibreglass handle|with anti-vibration grip}',
      '£3-15 rate 3-25: {Timco|Spax|TurboGold} {4 x 40mm|5 x 60mm|3.5 x 30mm} wood screws, {pack of 100|box of 200|box of 500}',
      '£2-9 rate 2-15: {Frog|Scotch|Diall} {24mm x 41m|36mm x 41m|48mm x 50m} masking tape, {single roll|low tack|pack of 3}',
      '£9-35 rate 0.1-0.6: {Stanley|Stabila|Draper} {600mm|1200mm|400mm} spirit level {with 3 vials|magnetic}',
      '£6-22 rate 0.5-4: {Harris|ProDec|Purdy} {9 inch|4 inch} paint roller set {with tray|with extension pole}',
    ],
  },
  {
    name: 'Pharmacy & Health',
    code: 'PHA',
    // flat: people fall ill every day, with a Monday peak after the weekend closures of GP surgeries
    weekday: [0.7, 1.25, 1.05, 1.0, 1.0, 1.05, 0.95],
    demand: { peak: 20, amplitude: 0.2, elasticity: 1.2, dispersion: 12 },
    lines: [
      '£0.49-3.5 rate 5-40: {Numark|Galpharm|Bells Healthcare} paracetamol {500mg caplets|500mg tablets}, {16 pack|32 pack}',
      '£0.79-4.5 rate 3-25: {Numark|Galpharm|Care} ibuprofen {200mg|400mg} {tablets, 16 pack|capsules, 24 pack}',
      '£2.5-6.5 rate 1-10: {Strepsils|Halls|Covonia} {honey and lemon|cherry|extra strong} throat lozenges, {24 pack|36 pack}',
      '£1.99-6 rate 1-8: {Elastoplast|Steroplast|Care} {fabric|waterproof|blister} plasters, {assorted 20 pack|40 pack}',
      '£12-45 rate 0.05-0.4: {Omron|Braun|Beurer} {in-ear|forehead|oral} digital thermometer {with protective case|with 21 probe covers}',
      '£3-14 rate 0.5-6: {Seven Seas|Vitabiotics|Holland & Barrett} vitamin {D3 1000IU|C 1000mg|B12} {effervescent, 20 pack|tablets, 90 pack}',
    ],
  },
  {
    name: 'Pet Supplies',
    code: 'PET',
    weekday: [1.1, 0.9, 0.95, 0.95, 1.0, 1.05, 1.15],
    demand: { peak: 180, amplitude: 0.03, elasticity: 2.2, dispersion: 8 },
    lines: [
      '£6-55 rate 1-12: {Pedigree|Harringtons|James Wellbeloved|Burns} adult dry dog food with {chicken and rice|lamb and rice|turkey}, {2kg|6kg|12kg}',
      '£4.5-16 rate 3-30: {Felix|Whiskas|Sheba} cat food pouches {in jelly|in gravy|fish selection}, {12 x 85g|40 x 85g}',
      "£4-19 rate 1-10: {Catsan|Pettex|World's Best} {clumping|non-clumping|wood pellet} cat litter, {5L|10L|20L}",
      '£3.5-15 rate 0.2-2: {KONG|Rosewood|Chuckit!} {rubber chew|rope tug|squeaky ball} dog toy {for puppies|for medium dogs|for large dogs}',
      '£5-25 rate 0.1-1: {Ancol|Rosewood|Trixie} {nylon|padded leather|reflective} dog lead, {1.2m|1.8m}',
      '£2.5-12 rate 0.3-3: {Tetra|JBL|King British} {tropical|goldfish} fish flakes, {100ml|250ml|1L}',
    ],
  },
  {
    name: 'Stationery & Office',
    code: 'STA',
    // offices and schools: weekdays, a thin Sunday; back-to-school peak at the end of August
    weekday: [0.5, 1.2, 1.2, 1.15, 1.1, 1.05, 0.8],
    demand: { peak: 240, amplitude: 0.35, elasticity: 1.6, dispersion: 8 },
    lines: [
      "£2.5-12 rate 1-10: {Pukka Pad|Oxford|Black n' Red} {A4 ruled|A5 squared|A5 dotted} notebook, {wirebound, 200 pages|hardback, 192 pages}",
      '£1.5-9 rate 2-20: {BIC|Pilot|Stabilo} {black ballpoint|blue gel|fineliner} pens, {pack of 4|pack of 10|pack of 20}',
      '£1.2-5 rate 1-12: {Pritt|UHU|Bostik} glue stick, {22g|43g}, {single|pack of 2}',
      '£4-30 rate 0.1-0.8: {Rexel|Swingline|Rapesco} {half-strip|full-strip|heavy duty} stapler {in blue|with 1000 staples}',
      '£12-45 rate 0.3-3: {HP|Epson|Canon} {black|tri-colour|XL black} printer ink cartridge, {single|twin pack}',
      '£5-32 rate 0.5-6: {Navigator|Xerox|Double A} A4 copier paper {80gsm|90gsm}, {ream of 500 sheets|box of 5 reams}',
    ],
  },
  {
    name: 'Garden & Outdoor',
    code: 'GRD',
    // fine weekends and spring: the strongest seasonality of the catalogue
    weekday: [1.7, 0.75, 0.75, 0.8, 0.85, 1.0, 1.6],
    demand: { peak: 135, amplitude: 0.6, elasticity: 2, dispersion: 5 },
    lines: [
      '£5-18 rate 2-25: {Miracle-Gro|Westland|Levington} {multi-purpose|peat-free|ericaceous} compost, {50L|3 x 40L}',
      '£12-60 rate 0.1-1.5: {Hozelock|Gardena|Flopro} {15m|25m|30m} garden hose {with spray gun|on a reel}',
      '£7-35 rate 0.2-1.5: {Spear & Jackson|Fiskars|Wilkinson Sword} {bypass|anvil} secateurs {with soft grip|for branches up to 20mm}',
      "£1.2-4 rate 1-12: {Mr Fothergill's|Suttons|Johnsons} {cherry tomato|sweet pea|runner bean|wildflower} seeds, {standard packet|value pack}",
      '£8-30 rate 0.3-4: {Westland|Evergreen|Miracle-Gro} {weed and feed|spring and summer|autumn} lawn feed, {covers 80m2|covers 400m2}',
      '£4-18 rate 0.2-2: {Elho|Stewart|Haws} watering can {in green|with rose}, {2L|5L|10L}',
    ],
  },
  {
    name: 'Baby Care',
    code: 'BBY',
    // babies need nappies every day; parents stock up when they are on offer
    weekday: [0.95, 1.0, 1.0, 1.0, 1.0, 1.05, 1.0],
    demand: { peak: 1, amplitude: 0, elasticity: 2.5, dispersion: 15 },
    lines: [
      '£4-15 rate 3-25: {Pampers|Huggies|Little Angels} {size 3|size 4|size 5} nappies, {essential pack of 44|jumbo pack of 70}',
      '£1.2-14 rate 4-35: {WaterWipes|Huggies|Pampers} {fragrance-free|sensitive|aqua} baby wipes, {single pack of 56|4 x 64 wipes|12 x 60 wipes}',
      '£1-16 rate 1-10: {Aptamil|Cow & Gate|SMA} first infant milk {from birth|stage 1}, {ready to feed 200ml|powder 800g}',
      '£7-25 rate 0.2-2: {Tommee Tippee|MAM|Philips Avent} {anti-colic|closer to nature|easy start} baby bottles, {150ml, pack of 3|260ml, pack of 2}',
      '£2.5-8 rate 0.5-5: {Sudocrem|Bepanthen|Metanium} nappy rash cream, {30g|100g|125g}',
      "£2.5-8 rate 0.5-4: {Johnson's|Childs Farm|Aveeno Baby} {fragrance-free|lavender|oat} baby bath, {250ml|500ml}",
    ],
  },
];

/** A product type drawn from a category: its filled-in description, price band and daily sales band. */
export type ProductType = ReturnType<typeof parseLine>;

const LINE = /^£([\d.]+)-([\d.]+) rate ([\d.]+)-([\d.]+): (.+)$/;
const GROUP = /\{([^}]+)\}/g;
const templates = new Map(CATEGORIES.map((c) => [c, c.lines.map(parseLine)]));

function parseLine(line: string) {
  const m = LINE.exec(line);
  if (!m) throw new Error(`malformed catalogue line: ${line}`);
  const band = (lo?: string, hi?: string) => [Number(lo), Number(hi)] as const;
  return { description: m[5]!, price: band(m[1], m[2]), rate: band(m[3], m[4]) };
}

/**
 * One line of `category` with every `{a|b}` group filled: a complete, plausible product. The last group's
 * options run from cheapest to dearest (a single roll, then a pack of 3), so each gets its slice of the band.
 */
export function productType(category: Category, rng: Random): ProductType {
  const line = rng.pick(templates.get(category)!);
  let [from, to] = [0, 1];
  const description = line.description.replace(GROUP, (_, group: string) => {
    const options = group.split('|');
    const i = rng.int(0, options.length - 1);
    [from, to] = [i / options.length, (i + 1) / options.length];
    return options[i]!;
  });
  const [lo, hi] = line.price;
  return { description, rate: line.rate, price: [lo + (hi - lo) * from, lo + (hi - lo) * to] as const };
}

const escape = (text: string) => text.replace(/[.*+?^$()[\]\\/]/g, '\\$&');
const patterns = [...templates].flatMap(([category, lines]) =>
  lines.map((l) => ({ category, re: new RegExp(`^${escape(l.description).replace(GROUP, '($1)')}$`) })),
);

/** The category whose template writes `description` (undefined for text this catalogue cannot write): for tests. */
export function categoryOf(description: string): Category | undefined {
  return patterns.find((p) => p.re.test(description))?.category;
}
