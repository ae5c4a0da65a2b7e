import type { AnomalyPayload } from '@stockpulse/contracts';
import type { Logger } from '@stockpulse/service-kit';
import type { AnomalyConfig } from './config.js';
import type { AnomaliesRepository } from './db/anomalies.repository.js';
import type { SeriesState, StateRepository } from './db/state.repository.js';
import { median, type Finding, type InventoryEvent } from './domain/findings.js';
import { daysSince, forestNote, surprise, usualSales } from './domain/forest-features.js';
import { isFitPoint, lastFitPoint } from './domain/fit-points.js';
import { IsolationModel, type Features } from './domain/iforest.js';
import { residualFindings } from './domain/residuals.js';
import { seeded } from './domain/random.js';
import { priceRule, RECONCILED_KEPT, stockRules } from './domain/rules.js';
import { normalise, textFindings } from './domain/text/checks.js';
import { TextModel } from './domain/text/model.js';

/**
 * Every detector over one event, inside the consumer's transaction: the rules, the isolation forest, the
 * text checks (for a description new to its product) and, when the event starts a new day, the forecast
 * residuals of the days before. What the detectors remember is stored with the event's effects; the two
 * models (forest, text) are caches rebuilt from the store. Nothing depends on the clock or an unseeded
 * random number: the forest is refitted at fixed counts of scored events, from a seed and that count, so the
 * same events give the same anomalies and notes, run after run and across restarts.
 */
export class Detectors {
  private forest: IsolationModel | undefined;
  private text: TextModel | undefined;
  private textStale = true;

  constructor(
    private readonly state: StateRepository,
    private readonly anomalies: AnomaliesRepository,
    private readonly config: AnomalyConfig,
    private readonly log: Logger,
  ) {}

  onEvent(e: InventoryEvent, correlationId: string | null): AnomalyPayload[] {
    const { store_location: store, product_id: product } = e;
    const series = this.state.series(store, product);
    const findings: Finding[] = [];
    const price = priceRule(e, series.prices, this.config);
    const stock = stockRules(e, series.baseline, series.reconciled, this.config);
    if (price) findings.push(price);
    findings.push(...stock.findings);

    // the forest judges only events whose series has a history to compare with, and learns only from them
    if (series.prices.length >= this.config.PRICE_MIN_HISTORY) {
      const features = this.features(e, series, stock.change);
      const score = this.forest?.score(features) ?? null;
      if (score !== null && score > this.forest!.threshold) findings.push(forestNote(e, score, features));
      const row = this.state.saveFeatures({
        ...features,
        event_id: e.event_id,
        correlation_id: correlationId,
        store_location: store,
        product_id: product,
        event_timestamp: e.event_timestamp,
        score,
      });
      const { IFOREST_MIN_EVENTS: min, IFOREST_REFIT_EVENTS: every } = this.config;
      if (row !== null && isFitPoint(row, min, every)) this.refit(row);
    }
    if (stock.reconciles !== undefined) {
      series.reconciled.push(stock.reconciles);
      if (series.reconciled.length > RECONCILED_KEPT) series.reconciled.shift();
    }

    if (!price) series.prices.push(e.price);
    const days = daysSince(series.baseline, e);
    if (e.units_sold !== undefined && days !== undefined && !stock.findings.length) {
      series.sales.push([e.units_sold, days]);
    }
    if (e.quantity !== undefined && (!series.baseline || e.event_timestamp > series.baseline.timestamp)) {
      series.baseline = {
        timestamp: e.event_timestamp,
        quantity: e.quantity,
        flagged: stock.findings.length > 0,
      };
    }
    this.state.saveSeries(store, product, e.category, series);
    if (e.description !== undefined)
      findings.push(...this.describe(e as InventoryEvent & { description: string }));
    this.state.countEvent(correlationId ?? '');

    const context = { ...e, correlation_id: correlationId };
    return [...this.anomalies.add(findings, context), ...this.residuals(e, correlationId)];
  }

  /** Writes what the batch's events changed in the detectors' memory (inside the batch's transaction). */
  finish(): void {
    this.state.finish();
  }

  /** The batch failed: drops what was remembered of it. */
  forget(): void {
    this.state.forget();
  }

  /** On start: the forest the last fit point before the stored events gave (as if never stopped). */
  resume(): void {
    const { IFOREST_MIN_EVENTS: min, IFOREST_REFIT_EVENTS: every } = this.config;
    const row = lastFitPoint(this.state.lastFeatureRow(), min, every);
    if (row) this.refit(row);
  }

  /** Refits the forest on the latest IFOREST_WINDOW events up to row `upTo`, seeded by the seed and the row. */
  private refit(upTo: number): void {
    this.state.pruneFeatures(Math.max(this.config.FEATURES_KEEP, this.config.IFOREST_WINDOW));
    const rows = this.state.recentFeatures(this.config.IFOREST_WINDOW, upTo);
    this.forest = IsolationModel.fit(rows, {
      trees: this.config.IFOREST_TREES,
      sample: this.config.IFOREST_SAMPLE,
      share: this.config.IFOREST_NOTE_SHARE,
      random: seeded(this.config.IFOREST_SEED + upTo),
    });
    this.log.debug({ rows: rows.length, threshold: this.forest.threshold }, 'isolation forest refitted');
  }

  private features(e: InventoryEvent, { prices, sales, baseline }: SeriesState, change: number): Features {
    const usualPrice = median(prices);
    const sold = e.units_sold;
    const days = daysSince(baseline, e);
    const usual = sold !== undefined && days !== undefined ? usualSales(sales, days) : undefined;
    return {
      price_ratio: usualPrice > 0 && e.price > 0 ? Math.log(e.price / usualPrice) : 0,
      quantity_change: change / Math.max(Math.abs(baseline?.quantity ?? 0), 10),
      sales_surprise: usual !== undefined ? surprise(sold!, usual) : 0,
    };
  }

  /** Text checks, once per product × description: the first time the pair is seen. */
  private describe(e: InventoryEvent & { description: string }): Finding[] {
    const normalised = normalise(e.description);
    const seen = this.state.seeDescription(e.product_id, e.description, normalised, e.category);
    if (seen === 2) this.textStale = true;
    if (seen !== 1) return [];
    // rebuilt when a description became established since the last text check (new pairs are rare)
    if (this.textStale) {
      this.text = new TextModel(this.state.catalogue());
      this.textStale = false;
    }
    const sharedWith = normalised ? this.state.productsSharing(normalised, e.product_id) : [];
    return textFindings(e, this.text, sharedWith, this.config);
  }

  /** The days of this series before the event's day, now complete, against their forecast. */
  private residuals(e: InventoryEvent, correlationId: string | null): AnomalyPayload[] {
    const { store_location: store, product_id: product } = e;
    const added: AnomalyPayload[] = [];
    for (const d of this.state.takeOpenDays(store, product, day(e))) {
      const band = this.state.band(store, product, d.date);
      if (!band) continue;
      const findings = residualFindings(
        { ...e, date: d.date, units: d.units },
        band,
        this.config.RESIDUAL_ALARM_Z,
      );
      added.push(
        ...this.anomalies.add(findings, {
          ...e,
          event_id: d.last_event_id,
          event_timestamp: d.last_timestamp,
          correlation_id: correlationId,
        }),
      );
    }
    if (e.units_sold !== undefined) {
      this.state.addDemand({
        store,
        product,
        date: day(e),
        units: e.units_sold,
        event_id: e.event_id,
        timestamp: e.event_timestamp,
      });
    }
    return added;
  }
}

const day = (e: InventoryEvent) => e.event_timestamp.slice(0, 10);
