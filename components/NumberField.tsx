/**
 * A labelled number input (`qc-field`) whose value stays the text as typed, so the form can
 * tell an empty field (server default) from a number and say what is wrong with it.
 *
 * @example
 * ```tsx
 * <NumberField label="Warmup (seconds)" name="warmup_seconds" min="0" max="3600" step="1"
 *   value={warmup} onInput={setWarmup} width="12rem" />
 * ```
 *
 * @module
 */

/** Props of `NumberField`. */
export interface NumberFieldProps {
  label: string;
  name: string;
  /** The text in the input. */
  value: string;
  min?: string;
  max?: string;
  step?: string;
  disabled?: boolean;
  /** Called with the new text on every edit. */
  onInput: (value: string) => void;
  /** CSS width of the field. */
  width?: string;
}

/** The field. */
export function NumberField(
  { label, name, value, min, max, step, disabled, onInput, width }: NumberFieldProps,
) {
  return (
    <label class="qc-field" style={width ? { width } : undefined}>
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        name={name}
        value={value}
        disabled={disabled}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </label>
  );
}

export default NumberField;
