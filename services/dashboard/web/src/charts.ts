import { Chart, registerables, type ChartDataset } from 'chart.js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom.js';

Chart.register(...registerables);

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
export const colour = (i: number) => PALETTE[i % PALETTE.length]!;

const charts = new WeakMap<HTMLElement, { destroy(): void }>();

function holder(container: HTMLElement, title: string, name: string): HTMLElement {
  charts.get(container)?.destroy();
  const box = el('div', { class: 'chart', 'data-chart': name });
  container.replaceChildren(el('h3', {}, title), box);
  return box;
}

export interface Line {
  label: string;
  values: (number | null)[];
  dash?: boolean;
}

/** A time-series chart (uPlot): x in epoch seconds; optional 80 % and 95 % bands filled between two lines. */
export function timeChart(
  container: HTMLElement,
  title: string,
  name: string,
  x: number[],
  lines: Line[],
  bands: [number, number][] = [],
): void {
  const box = holder(container, title, name);
  const width = Math.max(320, container.clientWidth || 640);
  const plot = new uPlot(
    {
      width,
      height: 260,
      series: [
        {},
        ...lines.map((l, i) => ({
          label: l.label,
          stroke: colour(i),
          width: 2,
          ...(l.dash ? { dash: [6, 4] } : {}),
          ...(bands.some(([, lower]) => lower === i + 1) ? { stroke: 'transparent' } : {}),
        })),
      ],
      bands: bands.map(([upper, lower], i) => ({
        series: [upper, lower],
        fill: i ? 'rgba(37,99,235,0.12)' : 'rgba(37,99,235,0.22)',
      })),
      // one point in time (a product's first stock report): a day either side, not uPlot's span of years
      scales: {
        x: { time: true, range: (_u, min, max) => (min === max ? [min - 86_400, max + 86_400] : [min, max]) },
      },
      axes: [{}, { size: 70 }],
    },
    [x, ...lines.map((l) => l.values)] as uPlot.AlignedData,
    box,
  );
  charts.set(container, plot);
}

/** A bar, line or scatter chart (Chart.js). */
export function chart(
  container: HTMLElement,
  title: string,
  name: string,
  type: 'bar' | 'scatter',
  labels: string[],
  datasets: ChartDataset<'bar' | 'scatter'>[],
): void {
  const box = holder(container, title, name);
  const canvas = el('canvas', { height: 260 });
  box.append(canvas);
  const instance = new Chart(canvas, {
    type,
    data: {
      labels,
      datasets: datasets.map((d, i) => ({
        backgroundColor: colour(i),
        borderColor: colour(i),
        ...d,
      })) as never,
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: datasets.length > 1 } },
    },
  });
  charts.set(container, instance);
}
