/**
 * Two models side by side (`/admin/models/compare?a=&b=`): the page data (server side) and the
 * metric rows with their differences (pure).
 *
 * @example
 * ```ts
 * const data = await loadComparePage(services, url.searchParams);
 * compareRows(data.a!, data.b!); // [{ label: "Failures caught", a: "76 of 207", … }, …]
 * ```
 *
 * @module
 */
import type { Services } from "../services.ts";
import { getModel, listModels } from "../pipeline/train/models.ts";
import { modelView } from "./admin_data.ts";
import { fmtDateTime, fmtInt, fmtNum, fmtPct, shortId } from "./format.ts";
import { qcFigures, thresholdText } from "./qc_figures.ts";
import type { TrainingView } from "./training_view.ts";

/** Data of the comparison page. */
export interface ComparePageData {
  /** Every stored model (newest first) for the two pickers. */
  choices: { id: string; created_at: string }[];
  /** The ids asked for (empty when not given). */
  aId: string;
  bId: string;
  a: TrainingView | null;
  b: TrainingView | null;
  /** Ids asked for that do not exist. */
  unknown: string[];
}

/** Load both models named by `?a=&b=` (either may be absent or unknown). */
export async function loadComparePage(
  services: Services,
  query: URLSearchParams,
): Promise<ComparePageData> {
  const { kv } = services;
  const models = await listModels(kv, { limit: 100 });
  const aId = (query.get("a") ?? "").trim();
  const bId = (query.get("b") ?? "").trim();
  const unknown: string[] = [];
  const load = async (id: string) => {
    if (!id) return null;
    const m = await getModel(kv, id);
    if (!m) {
      unknown.push(id);
      return null;
    }
    return await modelView(services, m);
  };
  const [a, b] = await Promise.all([load(aId), load(bId)]);
  return {
    choices: models.map((m) => ({ id: m.id, created_at: m.created_at })),
    aId,
    bId,
    a,
    b,
    unknown,
  };
}

/** One metric row: both values as text, and which side is better (null: equal or no order). */
export interface CompareRow {
  label: string;
  a: string;
  b: string;
  /** B − A as text ("" when not meaningful). */
  delta: string;
  better: "a" | "b" | null;
}

type Metric = {
  label: string;
  value: (v: TrainingView) => number | null;
  text: (x: number | null, v: TrainingView) => string;
  /** +1 higher is better, -1 lower is better, 0 no order. */
  order: 1 | -1 | 0;
  deltaText?: (d: number) => string;
};

const signed = (s: string, d: number) => (d > 0 ? `+${s}` : d < 0 ? `−${s.replace("-", "")}` : s);
const pctDelta = (d: number) => signed(`${Math.abs(d * 100).toFixed(1)} pts`, d);
const numDelta = (digits: number) => (d: number) => signed(Math.abs(d).toFixed(digits), d);

const METRICS: Metric[] = [
  {
    label: "Failures caught",
    value: (v) => qcFigures(v.confusion).caught,
    text: (_x, v) => {
      const q = qcFigures(v.confusion);
      return `${fmtInt(q.caught)} of ${fmtInt(q.failures)}`;
    },
    order: 1,
    deltaText: numDelta(0),
  },
  {
    label: "False alarms per 1,000 parts",
    value: (v) => qcFigures(v.confusion).falseAlarmsPer1000,
    text: (x) => fmtNum(x, 1),
    order: -1,
    deltaText: numDelta(1),
  },
  {
    label: "All-pass baseline accuracy",
    value: (v) => qcFigures(v.confusion).allPassAccuracy,
    text: (x) => fmtPct(x, 1),
    order: 0,
  },
  { label: "Accuracy", value: (v) => v.metrics.accuracy, text: (x) => fmtPct(x, 2), order: 1 },
  { label: "Precision", value: (v) => v.metrics.precision, text: (x) => fmtPct(x, 1), order: 1 },
  { label: "Recall", value: (v) => v.metrics.recall, text: (x) => fmtPct(x, 1), order: 1 },
  {
    label: "F1",
    value: (v) => v.metrics.f1_score,
    text: (x) => fmtNum(x, 3),
    order: 1,
    deltaText: numDelta(3),
  },
  {
    label: "MCC",
    value: (v) => v.metrics.mcc,
    text: (x) => fmtNum(x, 3),
    order: 1,
    deltaText: numDelta(3),
  },
  {
    label: "ROC AUC",
    value: (v) => v.metrics.auc_roc,
    text: (x) => fmtNum(x, 3),
    order: 1,
    deltaText: numDelta(3),
  },
  {
    label: "Threshold",
    value: (v) => v.metrics.threshold,
    text: (x) => thresholdText(x),
    order: 0,
  },
  {
    label: "Trees (best round + 1)",
    value: (v) => (v.best_iteration === null ? null : v.best_iteration + 1),
    text: (x) => fmtInt(x),
    order: 0,
  },
  { label: "Training rows", value: (v) => v.n_train, text: (x) => fmtInt(x), order: 0 },
  { label: "Test rows", value: (v) => v.n_test, text: (x) => fmtInt(x), order: 0 },
];

/** The metric rows of A and B, QC figures first. */
export function compareRows(a: TrainingView, b: TrainingView): CompareRow[] {
  return METRICS.map((m) => {
    const va = m.value(a), vb = m.value(b);
    const both = va !== null && vb !== null;
    const d = both ? vb - va : 0;
    const better = !both || m.order === 0 || d === 0 ? null : (d * m.order > 0 ? "b" : "a");
    const delta = !both || m.order === 0 ? "" : (m.deltaText ?? pctDelta)(d);
    return { label: m.label, a: m.text(va, a), b: m.text(vb, b), delta, better };
  });
}

/** A model's picker label: short id and creation time. */
export function choiceLabel(c: { id: string; created_at: string }): string {
  return `${shortId(c.id)} · ${fmtDateTime(c.created_at)}`;
}
