import type { AnomalyPayload } from '@stockpulse/contracts';
import type { Logger } from '@stockpulse/service-kit';
import type { AnomalyConfig } from './config.js';
import type { AnomaliesRepository } from './db/anomalies.repository.js';
import type { SeriesState, StateRepository } from './db/state.repository.js';
import { median, type Finding, type InventoryEvent } from './domain/findings.js';
import { daysSince, forestFinding, surprise, usualSales } from './domain/forest-features.js';
import { IsolationModel, type Features } from './domain/iforest.js';
import { residualFindings } from './domain/residuals.js';
import { priceRule, stockRules } from './domain/rules.js';
import { normalise, textFindings } from './domain/text/checks.js';
import { TextModel } from './domain/text/model.js';

/**
 * Every detector over one event, inside the consumer's transaction: the rules, the isolation forest, the
 * text checks (for a description new to its product) and, when the event starts a new day, the forecast
 * residuals of the days before. What the detectors remember is stored with the event's effects; the two
 * models (forest, text) are caches rebuilt from the store.
 */
export class Detectors {
  private forest: IsolationModel | undefined;
  private text: TextModel | undefined;
  private textStale = true;
  private sinceFit = 0;
  /** Events to wait before the next early refit: doubles after each, up to the window. */
  private nextFitAfter: number;

  constructor(
    private readonly state: StateRepository,
    private readonly anomalies: AnomaliesRepository,
    private readonly config: AnomalyConfig,
    private readonly log: Logger,
  ) {
    this.nextFitAfter = config.IFOREST_MIN_EVENTS;
  }

  onEvent(e: InventoryEvent, correlationId: string | null): AnomalyPayload[] {
    const { store_location: store, product_id: product } = e;
    const series = this.state.series(store, product);
    const findings: Finding[] = [];
    const price = priceRule(e, series.prices, this.config);
    const stock = stockRules(e, series.baseline, this.config);
    if (price) findings.push(price);
    findings.push(...stock.findings);

    // the forest judges only events whose series has a history to compare with, and learns only from them
    if (series.prices.length >= this.config.PRICE_MIN_HISTORY) {
      const features = this.features(e, series, stock.change);
      const score = this.forest?.score(features);
      if (score !== undefined && score > this.forest!.threshold)
        findings.push(forestFinding(e, score, features, this.config.IFOREST_WARNING_SCORE));
      this.state.saveFeatures({
        ...features,
        event_id: e.event_id,
        correlation_id: correlationId,
        score: score ?? null,
      });
      // while the store is young, refit each time the events seen double: a forest grown on the first few
      // hundred events has seen little, and finds ordinary later events unusual
      if (++this.sinceFit >= this.nextFitAfter && this.nextFitAfter < this.config.IFOREST_WINDOW) {
        this.refit();
        this.nextFitAfter *= 2;
      }
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

  /** Refits the forest on the latest events (on a schedule, and once enough events are in). */
  refit(): void {
    this.state.pruneFeatures(Math.max(this.config.FEATURES_KEEP, this.config.IFOREST_WINDOW));
    const rows = this.state.recentFeatures(this.config.IFOREST_WINDOW);
    if (rows.length < Math.min(this.config.IFOREST_MIN_EVENTS, this.config.IFOREST_WINDOW)) return;
    this.forest = IsolationModel.fit(rows, {
      trees: this.config.IFOREST_TREES,
      sample: this.config.IFOREST_SAMPLE,
      contamination: this.config.IFOREST_CONTAMINATION,
    });
    this.sinceFit = 0;
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
      const findings = residualFindings({ ...e, date: d.date, units: d.units }, band, this.config.RESIDUAL_Z);
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
