/**
 * A Chart.js chart inside an island. Chart.js is loaded on mount with a dynamic `import()` (see
 * `lib/ui/chart_setup.ts`), so the server renders only the sized, labelled canvas and the page
 * is readable before the chart library arrives. A new `config` object updates the chart in
 * place (build it with `useMemo`); Chart.js mutates the config it is given, so never share one
 * between charts.
 *
 * @example
 * ```tsx
 * const config = useMemo(() => ({ type: "bar", data: { labels, datasets } }), [labels]);
 * <ChartCanvas label="Rows per day" config={config} height={220} />
 * ```
 *
 * @module
 */
import type { ChartConfiguration } from "chart.js";
import { useEffect, useRef, useState } from "preact/hooks";

/** Props of `ChartCanvas`. */
export interface ChartCanvasProps {
  /** Accessible description of the chart (read by screen readers). */
  label: string;
  config: ChartConfiguration;
  /** CSS height in px (the width follows the container). */
  height?: number;
  /**
   * What the chart shows in words, rendered under the canvas (server-side too): the reading
   * without JavaScript or before Chart.js arrives, and for screen readers.
   */
  summary?: string;
}

const BASE_OPTIONS = { responsive: true, maintainAspectRatio: false } as const;

type ChartInstance = {
  config: { type?: string };
  data: unknown;
  options: unknown;
  update(mode?: string): void;
  destroy(): void;
};

/** The chart. */
export function ChartCanvas({ label, config, height = 260, summary }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartInstance | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    import("../lib/ui/chart_setup.ts").then(({ Chart }) => {
      if (cancelled || !canvas.current) return;
      const cur = chart.current;
      if (cur && cur.config.type === config.type) {
        cur.data = config.data;
        cur.options = { ...BASE_OPTIONS, ...config.options };
        cur.update("none");
        return;
      }
      cur?.destroy();
      const options = { ...BASE_OPTIONS, ...config.options };
      chart.current = new Chart(
        canvas.current,
        { ...config, options } as ChartConfiguration,
      ) as unknown as ChartInstance;
    }).catch((err) => {
      if (!cancelled) setError(err instanceof Error ? err.message : String(err));
    });
    return () => {
      cancelled = true;
    };
  }, [config]);

  useEffect(() => () => {
    chart.current?.destroy();
    chart.current = null;
  }, []);

  return (
    <>
      <div class="qc-chart" style={{ height: `${height}px` }}>
        <canvas ref={canvas} role="img" aria-label={label} />
        {error && <p class="qc-muted qc-small">Chart unavailable: {error}</p>}
      </div>
      {summary && <p class="qc-chart-summary qc-muted qc-small">{summary}</p>}
    </>
  );
}

export default ChartCanvas;
