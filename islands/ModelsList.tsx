/**
 * The trained models with their metrics and artifact downloads; reloads `GET /models` when the
 * training panel reports a new model.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { useHydrated } from "../lib/ui/hooks.ts";
import { ApiError, apiGet, listen } from "../lib/ui/api_client.ts";
import type { ModelsList as ModelsListData } from "../lib/ui/types.ts";
import { ModelsTable } from "../components/ModelsTable.tsx";
import { type ModelRow, modelRow } from "../lib/ui/model_row.ts";
import { Alert } from "../components/Notice.tsx";

/** Props: the list at render time (rows from `modelRow`). */
export interface ModelsListProps {
  list: { active_model_id: string | null; models: ModelRow[] };
}

/** The models card. */
export default function ModelsList({ list: initial }: ModelsListProps) {
  const hydrated = useHydrated();
  const [list, setList] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() =>
    listen("qc:models-changed", async () => {
      try {
        const fresh = await apiGet<ModelsListData>("/models");
        setList({ active_model_id: fresh.active_model_id, models: fresh.models.map(modelRow) });
        setError(null);
      } catch (err) {
        setError(err instanceof ApiError ? err.detail : String(err));
      }
    }), []);

  return (
    <section
      class="qc-card"
      aria-labelledby="models-title"
      data-island="ModelsList"
      data-hydrated={hydrated ? "true" : "false"}
    >
      <div class="qc-card-head">
        <h2 id="models-title">Models</h2>
        <span class="qc-muted qc-small">{list.models.length} stored</span>
      </div>
      {error && <Alert kind="warning">Could not refresh the list: {error}</Alert>}
      <ModelsTable models={list.models} activeId={list.active_model_id} />
    </section>
  );
}
