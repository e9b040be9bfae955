/**
 * The simulation's start form: replay speed and warm-up (text as typed; checked by
 * `parseStartForm` on submit), Start and Stop.
 *
 * @example
 * ```tsx
 * <SimulationForm rate={rate} warmup={warmup} onRate={setRate} onWarmup={setWarmup}
 *   running={false} canStart onStart={start} canStop={false} onStop={stop} />
 * ```
 *
 * @module
 */
import { NumberField } from "../NumberField.tsx";

/** Props of `SimulationForm`. */
export interface SimulationFormProps {
  rate: string;
  warmup: string;
  onRate: (value: string) => void;
  onWarmup: (value: string) => void;
  /** A run is going on: the fields are locked. */
  running: boolean;
  canStart: boolean;
  /** Submit handler (the event is the form's). */
  onStart: (e: Event) => void;
  canStop: boolean;
  onStop: () => void;
}

// The inputs' limits (the server checks them again).
const RATE = {
  label: "Rows per second",
  name: "rows_per_second",
  min: "0.1",
  max: "1000",
  step: "any",
};
const WARMUP = {
  label: "Warmup (seconds)",
  name: "warmup_seconds",
  min: "0",
  max: "3600",
  step: "1",
};

/** The form. */
export function SimulationForm(props: SimulationFormProps) {
  const { running } = props;
  return (
    <form class="qc-sim-form" onSubmit={props.onStart}>
      <div style={{ display: "flex", flexWrap: "wrap", gap: "0 1rem" }}>
        {([[RATE, props.rate, props.onRate], [WARMUP, props.warmup, props.onWarmup]] as const).map((
          [field, value, onInput],
        ) => (
          <NumberField
            key={field.name}
            {...field}
            value={value}
            disabled={running}
            onInput={onInput}
            width="12rem"
          />
        ))}
      </div>
      <div class="qc-actions">
        <button type="submit" class="qc-button" disabled={!props.canStart}>
          Start simulation
        </button>
        <button
          type="button"
          class="qc-button qc-button-danger"
          disabled={!props.canStop}
          onClick={props.onStop}
        >
          Stop
        </button>
      </div>
    </form>
  );
}

export default SimulationForm;
