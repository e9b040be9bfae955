/**
 * `/admin/simulation` — replay the simulation window through the active model in real time and
 * watch the predictions arrive (server-sent events, polling fallback).
 *
 * @module
 */
import { define } from "../../utils.ts";
import { Layout } from "../../components/Layout.tsx";
import SimulationLive from "../../islands/SimulationLive.tsx";
import { loadSimulationPage } from "../../lib/ui/admin_data.ts";
import { settledPage } from "../../lib/ui/settle.ts";

export const handler = define.handlers({ GET: settledPage(loadSimulationPage) });

export default define.page<typeof handler>(function SimulationPage({ data: result, config }) {
  const base = config.basePath;
  const data = result.data;
  return (
    <Layout
      title="Simulation"
      current="/admin/simulation"
      basePath={base}
      loadError={result.error}
      subtitle="Real-time inference replay: one prediction per row, in time order."
    >
      <SimulationLive
        model={data?.model ?? null}
        simulation_rows={data?.simulation_rows ?? null}
        blocked={data ? data.blocked : "The page data could not be loaded."}
        split_warning={data?.split_warning ?? null}
        task={data?.task ?? null}
        packets={data?.packets ?? []}
        summary={data?.summary ?? null}
        defaults={data?.defaults ?? { rows_per_second: 1, warmup_seconds: 10 }}
      />
    </Layout>
  );
});
