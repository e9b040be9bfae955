/**
 * The hyperparameter form of the training panel: which overrides it offers, their defaults
 * (the API's `TRAIN_DEFAULTS`), and the validation — the API's own zod schema
 * (`trainOverridesSchema`), so the form refuses exactly what `POST /process/train/start` would.
 *
 * @example
 * ```ts
 * const checked = checkTrainForm({ ...defaultTrainForm(), max_depth: "40" });
 * checked.ok; // false — checked.errors.max_depth: "Too big: expected number to be <=12"
 * ```
 *
 * @module
 */
// params.ts directly, not train/mod.ts: this module is bundled into the browser, and params.ts is
// the schema alone (mod.ts would pull the task and its workers in).
import {
  TRAIN_DEFAULTS,
  type TrainOverrides,
  trainOverridesSchema,
} from "../pipeline/train/params.ts";

/** One form field: an override key, its label and the input's kind. */
export interface TrainField {
  key: keyof TrainOverrides;
  label: string;
  hint?: string;
  kind: "int" | "number" | "choice";
  step?: string;
  /** `[value, label]` pairs of a "choice" field. */
  options?: readonly (readonly [string, string])[];
}

/** The fields offered (the rest of the overrides keep their defaults). */
export const TRAIN_FIELDS: readonly TrainField[] = [
  { key: "n_estimators", label: "Boosting rounds", kind: "int", hint: "1–500" },
  { key: "max_depth", label: "Max depth", kind: "int", hint: "1–12" },
  { key: "learning_rate", label: "Learning rate", kind: "number", step: "0.01", hint: "(0, 1]" },
  { key: "min_child_weight", label: "Min child weight", kind: "number", step: "0.1" },
  { key: "subsample", label: "Row subsample", kind: "number", step: "0.05", hint: "(0, 1]" },
  { key: "colsample_bytree", label: "Column subsample", kind: "number", step: "0.05" },
  { key: "reg_lambda", label: "L2 regularisation (λ)", kind: "number", step: "0.1" },
  {
    key: "early_stopping_rounds",
    label: "Early stopping rounds",
    kind: "int",
    hint: "0 = off",
  },
  {
    key: "validation_fraction",
    label: "Validation share",
    kind: "number",
    step: "0.01",
    hint: "0–0.5 of the training window's end",
  },
  {
    key: "class_weighting",
    label: "Fail weighting",
    kind: "choice",
    options: [["none", "None"], ["balanced", "Passes / fails"], ["sqrt", "√(passes / fails)"]],
  },
  {
    key: "threshold_metric",
    label: "Threshold tuned for",
    kind: "choice",
    options: [["mcc", "MCC"], ["f1", "F1"]],
  },
];

/** The form's raw values (strings, as the inputs hold them). */
export type TrainFormValues = Record<string, string>;

/** The defaults as form values. */
export function defaultTrainForm(): TrainFormValues {
  const out: TrainFormValues = {};
  for (const f of TRAIN_FIELDS) {
    out[f.key] = String((TRAIN_DEFAULTS as Record<string, unknown>)[f.key]);
  }
  return out;
}

/** The form checked against the API schema: the overrides to send, or errors per field. */
export type TrainFormCheck =
  | { ok: true; overrides: TrainOverrides }
  | { ok: false; errors: Record<string, string> };

/** Parse and validate the form (only values that differ from the defaults are sent). */
export function checkTrainForm(values: TrainFormValues): TrainFormCheck {
  const defaults = defaultTrainForm();
  const body: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of TRAIN_FIELDS) {
    const raw = (values[f.key] ?? "").trim();
    if (raw === defaults[f.key]) continue;
    if (raw === "") {
      errors[f.key] = "Required (clear the form to use the defaults).";
      continue;
    }
    if (f.kind === "choice") body[f.key] = raw;
    else if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) errors[f.key] = "A number.";
    else body[f.key] = Number(raw);
  }
  const parsed = trainOverridesSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      errors[key] ??= issue.message;
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, overrides: parsed.data! };
}
