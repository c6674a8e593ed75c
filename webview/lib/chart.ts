/**
 * Chart.js, registered with only what the line charts need, themed from VS Code's CSS variables, with
 * animations off (live data redraws at up to 10 Hz) and parsing off (points arrive as {x, y} already).
 */
import { Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type ChartDataset } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip);

export type Point = { x: number; y: number | null };
export type LineChart = Chart<'line', Point[]>;

/** What one chart shows. Steps and epochs tick at integers. */
export interface ChartView {
  datasets: ChartDataset<'line', Point[]>[];
  xLabel: string;
  integerX: boolean;
  logY: boolean;
  /** Bounds of the y axis where the metric caps it (present.ts `axisCaps`); Chart.js picks the rest. */
  yCaps?: { min?: number; max?: number };
}

let themed = '';
let theme = { text: '', grid: '' };
/** Colours and font from the theme, read again only when VS Code switches theme (it sets body classes). */
function currentTheme() {
  if (themed !== document.body.className || !theme.text) {
    themed = document.body.className;
    const css = getComputedStyle(document.body);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    theme = { text: v('--vscode-descriptionForeground', '#a0a0a0'), grid: v('--vscode-editorWidget-border', '#3c3c3c') };
    Chart.defaults.color = theme.text;
    Chart.defaults.font.family = v('--vscode-font-family', 'system-ui, sans-serif');
    Chart.defaults.font.size = 11;
  }
  return theme;
}

/** Gives a chart the theme's grid and text colours, as drawChart makes it; the canvas's `data-grid` says which grid colour it has. */
function applyTheme(chart: LineChart, t: typeof theme): void {
  for (const scale of Object.values(chart.options.scales!)) {
    const s = scale as { grid: { color: string }; ticks: { color: string }; title?: { color: string } };
    s.grid.color = t.grid;
    s.ticks.color = t.text;
    if (s.title) s.title.color = t.text;
  }
  chart.canvas.dataset.grid = t.grid;
}

/**
 * A theme switch (VS Code swaps the body's classes and CSS variables) recolours every chart at once,
 * hidden views' included: a chart keeps the colours it was made with, so a grid drawn for a dark theme
 * stayed dark on a light one until the page was reloaded.
 */
new MutationObserver(() => {
  if (document.body.className === themed) return;
  const t = currentTheme();
  for (const chart of Object.values(Chart.instances) as LineChart[]) {
    applyTheme(chart, t);
    chart.update('none');
  }
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

/** Draws `v` on `canvas`: a new chart the first time (pass `chart` undefined), an update after. */
export function drawChart(canvas: HTMLCanvasElement, chart: LineChart | undefined, v: ChartView): LineChart {
  if (chart) {
    chart.data.datasets = v.datasets;
    const scales = chart.options.scales!;
    const x = scales.x as { title: { text: string }; ticks: { precision?: number } };
    x.title.text = v.xLabel;
    x.ticks.precision = v.integerX ? 0 : undefined;
    scales.y!.type = v.logY ? 'logarithmic' : 'linear';
    scales.y!.min = v.yCaps?.min;
    scales.y!.max = v.yCaps?.max;
    chart.update('none');
    return chart;
  }
  const t = currentTheme();
  // Made with its data: a chart made empty and then filled lays out and draws twice.
  const made = new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets: v.datasets },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      spanGaps: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1, tension: 0 } },
      scales: {
        x: { type: 'linear', title: { display: true, text: v.xLabel, color: t.text }, grid: { color: t.grid }, ticks: { color: t.text, maxTicksLimit: 8, precision: v.integerX ? 0 : undefined } },
        y: { type: v.logY ? 'logarithmic' : 'linear', min: v.yCaps?.min, max: v.yCaps?.max, grid: { color: t.grid }, ticks: { color: t.text, maxTicksLimit: 6 } },
      },
      plugins: { tooltip: { animation: false } },
    },
  });
  canvas.dataset.grid = t.grid;
  return made;
}
