/**
 * The admin charts' Chart.js configurations, as pure functions of the data (so they are unit
 * tested and the islands only memoise them): rows per day, learning curves, and the live
 * quality score. Chart.js mutates the configuration it draws, so each call builds a new one.
 *
 * @example
 * ```ts
 * const config = useMemo(() => rowsPerDayChart(days, { colour: COLORS.train }), [days]);
 * <ChartCanvas label="Rows per day" config={config} />
 * ```
 *
 * @module
 */
import { thresholdText } from "./qc_figures.ts";
import type { ChartConfiguration, ChartDataset } from "chart.js";
import type { QualityPoint } from "./live_buffer.ts";
import { COLORS } from "./palette.ts";

/** A point of a line chart with a linear x axis. */
export interface XY {
  x: number;
  y: number;
}

/** How `rowsPerDayChart` colours and explains its bars. */
export interface RowsPerDayOptions {
  /** One colour for every bar, or one per day. */
  colour: string | string[];
  /** Extra tooltip line for a day (e.g. the split window it falls in). */
  afterLabel?: (day: string) => string;
}

/** Bars of rows per day (`days` as sorted `[day, rows]` pairs). */
export function rowsPerDayChart(
  days: [string, number][],
  { colour, afterLabel }: RowsPerDayOptions,
): ChartConfiguration {
  const legend = { display: false };
  return {
    type: "bar",
    data: {
      labels: days.map(([d]) => d),
      datasets: [{
        label: "Rows",
        data: days.map(([, n]) => n),
        backgroundColor: colour,
        borderRadius: 2,
      }],
    },
    options: {
      plugins: afterLabel
        ? {
          legend,
          tooltip: { callbacks: { afterLabel: (item) => afterLabel(String(item.label)) } },
        }
        : { legend },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true } },
        y: { beginAtZero: true, title: { display: true, text: "rows" } },
      },
    },
  };
}

function curve(label: string, data: XY[], colour: string): ChartDataset<"line", XY[]> {
  return {
    label,
    data,
    borderColor: colour,
    backgroundColor: colour,
    pointRadius: 0,
    borderWidth: 2,
    tension: 0.15,
  };
}

/**
 * A learning curve per boosting round: the training series, the validation series when there is
 * one, and the best round marked in the tooltip.
 */
export function learningCurveChart(
  title: string,
  train: XY[],
  valid: XY[] | undefined,
  yLabel: string,
  best: number | null,
): ChartConfiguration {
  const datasets = [curve(`Training ${title}`, train, COLORS.trainCurve)];
  if (valid?.length) datasets.push(curve(`Validation ${title}`, valid, COLORS.validCurve));
  return {
    type: "line",
    data: { datasets },
    options: {
      parsing: false,
      normalized: true,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            title: (items) => {
              const x = items[0]?.parsed.x;
              return x === undefined || x === null
                ? ""
                : `round ${x}${best !== null && x === best ? " (best)" : ""}`;
            },
          },
        },
      },
      scales: {
        x: {
          type: "linear",
          title: { display: true, text: "boosting round" },
          ticks: { precision: 0 },
        },
        y: { title: { display: true, text: yLabel } },
      },
    },
  };
}

/**
 * The live quality score per replayed row: the score line, the rows predicted to fail as red
 * dots, and the decision threshold (`qualityLine`, on the same 0–100 scale) as a dashed line.
 */
export function qualityScoreChart(points: QualityPoint[], qualityLine: number): ChartConfiguration {
  const x0 = points.length ? points[0].x : 0;
  const x1 = points.length ? points[points.length - 1].x : 1;
  return {
    type: "line",
    data: {
      datasets: [
        {
          label: "Quality score",
          data: points.map((p) => ({ x: p.x, y: p.y })),
          borderColor: COLORS.train,
          backgroundColor: "rgba(37, 99, 235, 0.08)",
          borderWidth: 1.5,
          pointRadius: 0,
          fill: true,
        },
        {
          label: "Predicted fail",
          data: points.filter((p) => p.fail).map((p) => ({ x: p.x, y: p.y })),
          borderColor: COLORS.fail,
          backgroundColor: COLORS.fail,
          showLine: false,
          pointRadius: 3,
        },
        {
          // Labelled in the UI's one threshold unit, P(fail), though drawn on the score scale.
          label: `Threshold: ${thresholdText(1 - qualityLine / 100)}`,
          data: [{ x: x0, y: qualityLine }, { x: x1, y: qualityLine }],
          borderColor: COLORS.threshold,
          borderDash: [6, 4],
          borderWidth: 1.5,
          pointRadius: 0,
        },
      ],
    },
    options: {
      parsing: false,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: {
        x: { type: "linear", title: { display: true, text: "row" }, ticks: { precision: 0 } },
        y: { title: { display: true, text: "quality score (P(pass) × 100)" }, suggestedMax: 100 },
      },
    },
  } as ChartConfiguration;
}
