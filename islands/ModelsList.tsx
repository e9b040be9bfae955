/**
 * The trained models with their metrics and artifact downloads; reloads `GET /models` when the
 * training panel reports a new model.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { useIslandMarks } from "../lib/ui/hooks.ts";
import { apiGet, errorText, listen } from "../lib/ui/api_client.ts";
import type { ModelsList as ModelsListData } from "../lib/ui/types.ts";
import { Card } from "../components/Card.tsx";
import { ModelsTable } from "../components/ModelsTable.tsx";
import { type ModelRow, modelRow } from "../lib/ui/model_row.ts";
import { Alert } from "../components/Notice.tsx";

/** Props: the list at render time (rows from `modelRow`). */
export interface ModelsListProps {
  list: { active_model_id: string | null; models: ModelRow[] };
}

/** The models card. */
export default function ModelsList({ list: initial }: ModelsListProps) {
  const island = useIslandMarks("ModelsList");
  const [list, setList] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() =>
    listen("qc:models-changed", async () => {
      try {
        const fresh = await apiGet<ModelsListData>("/models");
        setList({ active_model_id: fresh.active_model_id, models: fresh.models.map(modelRow) });
        setError(null);
      } catch (err) {
        setError(errorText(err));
      }
    }), []);

  return (
    <Card
      heading="Models"
      headingId="models-title"
      aside={<span class="qc-muted qc-small">{list.models.length} stored</span>}
      {...island}
    >
      {error && <Alert kind="warning">Could not refresh the list: {error}</Alert>}
      <ModelsTable models={list.models} activeId={list.active_model_id} />
    </Card>
  );
}
