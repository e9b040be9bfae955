/**
 * A live health indicator: polls `/health` every few seconds and shows ok / degraded /
 * unreachable. Server-rendered as "checking…"; the browser takes over after hydration (which
 * `data-hydrated` marks, for the browser test).
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { asset } from "fresh/runtime";

export interface HealthBadgeProps {
  /** Poll interval in milliseconds (default 5000). */
  intervalMs?: number;
}

type Health = { state: "checking" } | { state: "ok" } | { state: "error"; detail: string };

export default function HealthBadge({ intervalMs = 5000 }: HealthBadgeProps) {
  const [health, setHealth] = useState<Health>({ state: "checking" });
  const [hydrated, setHydrated] = useState(false);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);

  useEffect(() => {
    setHydrated(true);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const res = await fetch(asset("/health"), { cache: "no-store" });
        const body = await res.json().catch(() => null);
        if (stopped) return;
        if (res.ok && body?.status === "ok") setHealth({ state: "ok" });
        else {
          const parts = body ? [`kv: ${body.kv}`, `storage: ${body.storage}`] : [res.statusText];
          setHealth({ state: "error", detail: parts.join(", ") });
        }
      } catch {
        if (!stopped) setHealth({ state: "error", detail: "service unreachable" });
      }
      if (stopped) return;
      setCheckedAt(new Date().toLocaleTimeString());
      timer = setTimeout(poll, intervalMs);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs]);

  const tone = health.state === "ok" ? "ok" : health.state === "error" ? "bad" : "idle";
  const label = health.state === "ok" ? "ok" : health.state === "error" ? "degraded" : "checking…";
  return (
    <span
      class={`qc-health qc-health-${tone}`}
      data-hydrated={hydrated ? "true" : "false"}
      data-state={health.state}
      title={health.state === "error" ? health.detail : checkedAt ? `Checked ${checkedAt}` : ""}
      role="status"
      aria-live="polite"
    >
      <span class="qc-health-dot" aria-hidden="true" />
      <span class="qc-health-label">Health: {label}</span>
    </span>
  );
}
