/**
 * Dataset upload: pick a CSV, stream it to `POST /dataset/store` (multipart part `file`) with a
 * progress bar, show the 202 or the server's reason for refusing it, then follow the dataset
 * through feature selection (`GET /dataset/{id}` and `GET /tasks/{task_id}` every second) until
 * it is READY (other islands are told to refresh) or FAILED. While the file is on its way, leaving
 * the page asks for confirmation; a cancel is shown as such (not as a failure).
 *
 * Without JavaScript the same form posts itself (`multipart/form-data`) to
 * `/admin/datasets/upload`, which answers with a page saying what came of it.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { apiGet, describeDetail, errorText, notify, uploadFile } from "../lib/ui/api_client.ts";
import { useIslandMarks, usePolling } from "../lib/ui/hooks.ts";
import { fmtBytes, fmtInt } from "../lib/ui/format.ts";
import type { DatasetView, UploadAccepted } from "../lib/ui/types.ts";
import { Card } from "../components/Card.tsx";
import { ProgressBar } from "../components/ProgressBar.tsx";
import { StatusPill } from "../components/StatusPill.tsx";
import { Alert } from "../components/Notice.tsx";

/** Props: an upload still being processed when the page was rendered. */
export interface DatasetUploadProps {
  pending?: {
    id: string;
    filename: string;
    state: string;
    error: string | null;
    task_id: string | null;
  } | null;
}

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; loaded: number; total: number; started: number }
  | { kind: "validating"; total: number; started: number }
  | { kind: "refused"; status: number; detail: string }
  | { kind: "cancelled" }
  | { kind: "tracking"; reply: UploadAccepted | null; seconds: number | null };

interface Tracked {
  id: string | null;
  taskId: string | null;
  filename: string;
  state: string;
  error: string | null;
  step: string | null;
  features: number | null;
  rows: number | null;
}

const FINAL = new Set(["READY", "FAILED", "SUCCESS", "FAILURE", "REVOKED"]);

/** The upload form and its status. */
export default function DatasetUpload({ pending = null }: DatasetUploadProps) {
  const island = useIslandMarks("DatasetUpload");
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>(
    pending ? { kind: "tracking", reply: null, seconds: null } : { kind: "idle" },
  );
  const [tracked, setTracked] = useState<Tracked | null>(
    pending
      ? {
        id: pending.id,
        taskId: pending.task_id,
        filename: pending.filename,
        state: pending.state,
        error: pending.error,
        step: null,
        features: null,
        rows: null,
      }
      : null,
  );
  const [pollError, setPollError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const busy = phase.kind === "uploading" || phase.kind === "validating";
  const following = tracked !== null && !FINAL.has(tracked.state);

  // Reloading or leaving mid-upload loses it: let the browser ask first.
  useEffect(() => {
    if (!busy) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ""; // older browsers need a value set
    };
    globalThis.addEventListener("beforeunload", warn);
    return () => globalThis.removeEventListener("beforeunload", warn);
  }, [busy]);

  usePolling(async () => {
    if (!tracked) return;
    try {
      let next: Tracked = { ...tracked };
      if (tracked.id) {
        const d = await apiGet<DatasetView>(`/dataset/${encodeURIComponent(tracked.id)}`);
        next = {
          ...next,
          state: d.state,
          error: d.error,
          taskId: d.task_id ?? next.taskId,
          features: d.features?.length ?? null,
          rows: d.profile?.rows ?? null,
        };
      }
      if (next.taskId) {
        const t = await apiGet<
          { status: string; progress: { status?: string } | null; error: string | null }
        >(`/tasks/${encodeURIComponent(next.taskId)}`).catch(() => null);
        if (t) {
          next.step = typeof t.progress?.status === "string" ? t.progress.status : null;
          if (!tracked.id) {
            // No dataset id in the reply: the task alone tells how it ends.
            next.state = t.status === "SUCCESS"
              ? "READY"
              : t.status === "FAILURE" || t.status === "REVOKED"
              ? "FAILED"
              : "SELECTING_FEATURES";
            next.error = t.error;
          }
        }
      }
      setPollError(null);
      setTracked(next);
      if (next.state === "READY") notify("qc:dataset-changed", next.id);
      if (FINAL.has(next.state)) notify("qc:dataset-uploaded", next.id);
    } catch (err) {
      setPollError(errorText(err));
    }
  }, following ? 1000 : null);

  async function upload(e: Event) {
    e.preventDefault();
    if (!file || busy) return;
    const controller = new AbortController();
    abort.current = controller;
    const started = performance.now();
    setTracked(null);
    setPhase({ kind: "uploading", loaded: 0, total: file.size, started });
    try {
      const reply = await uploadFile("/dataset/store", file, file.name, (p) => {
        setPhase(
          p.loaded >= p.total
            ? { kind: "validating", total: p.total, started }
            : { kind: "uploading", loaded: p.loaded, total: p.total, started },
        );
      }, controller.signal);
      if (reply.status === 202 || (reply.status >= 200 && reply.status < 300)) {
        const body = (reply.body ?? {}) as UploadAccepted;
        setPhase({ kind: "tracking", reply: body, seconds: (performance.now() - started) / 1000 });
        notify("qc:dataset-uploaded", body.dataset_id ?? null);
        setTracked({
          id: body.dataset_id ?? null,
          taskId: body.task_id ?? null,
          filename: file.name,
          state: body.dataset_id || body.task_id ? "SELECTING_FEATURES" : "READY",
          error: null,
          step: null,
          features: null,
          rows: null,
        });
      } else {
        setPhase({
          kind: "refused",
          status: reply.status,
          detail: describeDetail(reply.body, `The server answered ${reply.status}.`),
        });
      }
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") {
        setPhase({ kind: "cancelled" });
      } else {
        setPhase({
          kind: "refused",
          status: 0,
          detail: errorText(err),
        });
      }
    } finally {
      abort.current = null;
    }
  }

  const rate = (loaded: number, started: number) => {
    const s = (performance.now() - started) / 1000;
    return s > 0.2 ? `${fmtBytes(loaded / s)}/s` : "";
  };

  return (
    <Card
      heading="Upload a dataset"
      headingId="upload-title"
      {...island}
    >
      <p class="qc-muted">
        CSV with an <code>Id</code>, a <code>Response</code>{" "}
        (0 = pass, 1 = fail) and a timestamp column (<code>synthetic_timestamp</code> or{" "}
        <code>Timestamp</code>); the other columns are numeric features, empty cells = missing. The
        file is checked completely before it is accepted; the active dataset is replaced only once
        the new one is ready.
      </p>
      <form
        class="qc-upload"
        method="post"
        action="/admin/datasets/upload"
        encType="multipart/form-data"
        onSubmit={upload}
      >
        <label class="qc-field">
          <span>CSV file</span>
          <input
            ref={input}
            type="file"
            name="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
              setFile(f);
              if (!busy) setPhase({ kind: "idle" });
            }}
          />
        </label>
        {file && <span class="qc-muted qc-small">{file.name} · {fmtBytes(file.size)}</span>}
        <div class="qc-actions">
          {/* Enabled in the server's HTML: without JavaScript the browser posts the form. */}
          <button type="submit" class="qc-button" disabled={island.hydrated && (!file || busy)}>
            Upload
          </button>
          {busy && (
            <button
              type="button"
              class="qc-button qc-button-secondary"
              onClick={() => abort.current?.abort()}
            >
              Cancel
            </button>
          )}
        </div>
      </form>

      {phase.kind === "uploading" && (
        <ProgressBar
          label="Uploading"
          value={phase.loaded}
          max={phase.total}
          text={`${fmtBytes(phase.loaded)} / ${fmtBytes(phase.total)} ${
            rate(phase.loaded, phase.started)
          }`}
        />
      )}
      {phase.kind === "validating" && (
        <ProgressBar
          label="Uploaded — the server is validating and profiling the file"
          value={null}
          text={fmtBytes(phase.total)}
        />
      )}
      {phase.kind === "refused" && (
        <Alert
          kind="error"
          title={phase.status ? `Upload refused (HTTP ${phase.status})` : "Upload failed"}
        >
          {phase.detail}
        </Alert>
      )}
      {phase.kind === "cancelled" && (
        <Alert kind="info" title="Upload cancelled">
          Nothing was stored; the active dataset is unchanged.
        </Alert>
      )}
      {phase.kind === "tracking" && phase.reply && (
        <Alert kind="success" title="Upload accepted (HTTP 202)">
          {tracked?.state === "READY"
            ? "The file was stored and its feature selection is done."
            : tracked?.state === "FAILED"
            ? "The file was stored; its processing failed (below)."
            : phase.reply.message}
          {phase.seconds !== null && ` Upload and validation took ${phase.seconds.toFixed(1)} s.`}
        </Alert>
      )}
      {tracked && (
        <div class="qc-track" aria-live="polite">
          <div class="qc-track-head">
            <strong>{tracked.filename}</strong>
            <StatusPill status={tracked.state} />
          </div>
          {following && (
            <ProgressBar
              label={tracked.step ?? "Selecting features (training a ranking model on a sample)…"}
              value={null}
            />
          )}
          {tracked.state === "READY" && (
            <p>
              {`Ready${tracked.rows !== null ? `: ${fmtInt(tracked.rows)} rows` : ""}${
                tracked.features !== null ? `, ${fmtInt(tracked.features)} features selected` : ""
              }. It is now the active dataset — continue on the `}
              <a href="/admin/training">Training page</a>.
            </p>
          )}
          {tracked.state === "FAILED" && (
            <Alert kind="error" title="Processing failed">
              {tracked.error ?? "Unknown reason."} The previous dataset stays active.
            </Alert>
          )}
          {pollError && <Alert kind="warning">Could not refresh the status: {pollError}</Alert>}
        </div>
      )}
    </Card>
  );
}
