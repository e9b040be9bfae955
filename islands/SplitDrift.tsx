/**
 * The split's drift panel on the training page: the simulation window against the training
 * window (`GET /split/drift`), server-rendered with the page and fetched again when the split
 * form makes a new split (`qc:split-changed`).
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { useIslandMarks } from "../lib/ui/hooks.ts";
import { apiGet, listen } from "../lib/ui/api_client.ts";
import type { DriftReport } from "../lib/ui/types.ts";
import { DriftPanel } from "../components/DriftPanel.tsx";

/** Props: the drift at page load (null without a split or report). */
export interface SplitDriftProps {
  drift: DriftReport | null;
}

/** The panel. */
export default function SplitDrift(props: SplitDriftProps) {
  const marks = useIslandMarks("SplitDrift");
  const [drift, setDrift] = useState<DriftReport | null>(props.drift);
  useEffect(
    () =>
      listen("qc:split-changed", () => {
        apiGet<DriftReport>("/split/drift").then(setDrift, () => setDrift(null));
      }),
    [],
  );
  return (
    <DriftPanel
      drift={drift}
      what="The simulation window"
      headingId="split-drift"
      marks={marks}
    />
  );
}
