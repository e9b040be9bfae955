/**
 * The training hyperparameters as form fields (inside a disclosure, defaults filled in), with
 * each field's error under it. The values and their checking live in `lib/ui/train_form.ts`
 * (the API's own zod schema); this component only renders.
 *
 * @example
 * ```tsx
 * <TrainParamsForm values={form} errors={errors} onChange={(k, v) => …} onReset={…} />
 * ```
 *
 * @module
 */
import { TRAIN_FIELDS, type TrainFormValues } from "../lib/ui/train_form.ts";

/** Props of `TrainParamsForm`. */
export interface TrainParamsFormProps {
  values: TrainFormValues;
  errors: Record<string, string>;
  disabled?: boolean;
  onChange: (key: string, value: string) => void;
  onReset: () => void;
}

/** The fields. */
export function TrainParamsForm(
  { values, errors, disabled, onChange, onReset }: TrainParamsFormProps,
) {
  const changed = Object.keys(errors).length > 0;
  return (
    <details class="qc-params" open={changed || undefined}>
      <summary>Hyperparameters (defaults filled in)</summary>
      <div class="qc-params-grid">
        {TRAIN_FIELDS.map((f) => {
          const id = `train-${f.key}`;
          const error = errors[f.key];
          const described = [f.hint ? `${id}-hint` : "", error ? `${id}-error` : ""]
            .filter(Boolean).join(" ") || undefined;
          return (
            <div class="qc-field" key={f.key}>
              <label for={id}>{f.label}</label>
              {f.kind === "choice"
                ? (
                  <select
                    id={id}
                    name={f.key}
                    value={values[f.key]}
                    disabled={disabled}
                    onChange={(e) => onChange(f.key, (e.currentTarget as HTMLSelectElement).value)}
                  >
                    {f.options?.map(([value, label]) => (
                      <option key={value} value={value}>{label}</option>
                    ))}
                  </select>
                )
                : (
                  <input
                    id={id}
                    name={f.key}
                    type="text"
                    inputMode={f.kind === "int" ? "numeric" : "decimal"}
                    value={values[f.key]}
                    disabled={disabled}
                    aria-invalid={error ? "true" : undefined}
                    aria-describedby={described}
                    onInput={(e) => onChange(f.key, (e.currentTarget as HTMLInputElement).value)}
                  />
                )}
              {f.hint && <span id={`${id}-hint`} class="qc-small qc-muted">{f.hint}</span>}
              {error && <span id={`${id}-error`} class="qc-field-error">{error}</span>}
            </div>
          );
        })}
      </div>
      <button type="button" class="qc-button-link" disabled={disabled} onClick={onReset}>
        Reset to defaults
      </button>
    </details>
  );
}

export default TrainParamsForm;
