import { postJson, type List } from '../api.js';
import { el, fmt } from '../dom.js';

export type Verdict = 'confirmed' | 'false_positive';

/** What a row of the anomalies table says about its verdict (the fields are absent when not judged). */
export interface Judged {
  id: string;
  verdict?: Verdict;
  verdict_reason?: string;
  verdict_at?: string;
}

const SHOWN: Record<Verdict | 'none', string> = {
  confirmed: 'confirmed',
  false_positive: 'false positive',
  none: 'not judged',
};

/**
 * An anomaly's current verdict (its reason as the tooltip) and the two ways to judge it: "Confirm" at once,
 * "False positive" after an optional reason typed in the row. The cell redraws itself from the anomaly the
 * API answers with, and updates `anomaly` too (so the table's own CSV export says the same); a refused
 * verdict shows the API's message in the cell.
 */
export function verdictCell(anomaly: Judged): HTMLElement {
  const cell = el('span', { class: 'verdict', 'data-verdict-cell': anomaly.id });

  const judge = async (verdict: Verdict, reason = '') => {
    for (const button of cell.querySelectorAll('button')) button.disabled = true;
    try {
      const judged = await postJson<Judged>(`/anomalies/${anomaly.id}/verdict`, {
        verdict,
        ...(reason ? { reason } : {}),
      });
      // all three, so that a verdict given without a reason clears the previous one's reason
      Object.assign(anomaly, {
        verdict: judged.verdict,
        verdict_reason: judged.verdict_reason,
        verdict_at: judged.verdict_at,
      });
      draw();
    } catch (err) {
      draw();
      cell.append(el('span', { class: 'warning', role: 'alert' }, (err as Error).message));
    }
  };

  const button = (verdict: Verdict, label: string, onclick: () => void) =>
    el(
      'button',
      {
        type: 'button',
        'data-action': verdict,
        'aria-pressed': String(anomaly.verdict === verdict),
        disabled: anomaly.verdict === verdict,
        onclick,
      },
      label,
    );

  /** Asks for the reason in the row (not with a prompt: it stays in the page, and tests can type in it). */
  const reasonForm = () => {
    const reason = el('input', {
      type: 'text',
      name: 'reason',
      'aria-label': 'Reason',
      placeholder: 'reason (optional)',
      maxlength: 1000,
    });
    const form = el(
      'form',
      {
        class: 'reason',
        'data-reason-form': '',
        onsubmit: (e) => (e.preventDefault(), void judge('false_positive', reason.value.trim())),
      },
      reason,
      el('button', { type: 'submit' }, 'Save'),
      el('button', { type: 'button', onclick: () => draw() }, 'Cancel'),
    );
    return { form, reason };
  };

  const draw = (asking = false) => {
    const current = anomaly.verdict ?? 'none';
    const status = el(
      'span',
      {
        class: `verdict-${current}`,
        'data-verdict': current,
        ...(anomaly.verdict_reason ? { title: anomaly.verdict_reason } : {}),
      },
      SHOWN[current],
    );
    if (!asking) {
      cell.replaceChildren(
        status,
        button('confirmed', 'Confirm', () => void judge('confirmed')),
        button('false_positive', 'False positive', () => draw(true)),
      );
      return;
    }
    const { form, reason } = reasonForm();
    cell.replaceChildren(status, form);
    reason.focus();
  };

  draw();
  return cell;
}

export type Note = Record<string, unknown>;

/**
 * A small disclosure saying how many notes there are: what is kept for drill-down but is not an anomaly
 * (`GET /api/anomalies/notes`), with the few highest-scoring ones inside; hidden when there are none.
 */
export function drawNotes(details: HTMLDetailsElement, kept: List<Note>): void {
  details.hidden = kept.total === 0;
  details.replaceChildren(
    el(
      'summary',
      {},
      `${fmt(kept.total)} ${kept.total === 1 ? 'note' : 'notes'} kept for drill-down, not listed as anomalies`,
    ),
    el(
      'p',
      { class: 'muted' },
      'Kept apart: the isolation forest alone, days outside their forecast’s 95 % band, duplicate ' +
        'descriptions, and findings under a threshold raised by a false-positive verdict. Highest scores:',
    ),
    el(
      'ul',
      {},
      ...kept.items.map((n) =>
        el(
          'li',
          {},
          `${fmt(n.score, 2)} · ${fmt(n.type)} · ${fmt(n.product_id)} at ${fmt(n.store_location)}: ${fmt(n.explanation)}`,
        ),
      ),
    ),
  );
}
