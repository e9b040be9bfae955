/**
 * The live packet feed of one simulation run, and the hook the simulation island keeps its
 * state in.
 *
 * `followSimulation` reads the summary first (to start near the end of a long run), then takes
 * packets from the server-sent event stream (`/simulation/{id}/events?after=N`) or, when the
 * stream is unavailable or keeps failing, polls `/simulation/{id}/packets?after=N`; a slow status
 * poll (`/simulation/status/{id}`) carries the warm-up message and the final state. Packets go
 * into a `LiveBuffer`; the hook redraws from it at most every `FLUSH_MS`, however fast they come.
 *
 * @example
 * ```tsx
 * const feed = useSimulationFeed(props.task);
 * feed.latest;  // newest packet (null before the first)
 * feed.points;  // rolling chart points; feed.rows: newest packets first
 * feed.setTask(started); // follow another run
 * ```
 *
 * @module
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { asset } from "fresh/runtime";
import { ApiError, apiGet } from "./api_client.ts";
import { LiveBuffer, type QualityPoint } from "./live_buffer.ts";
import { CHART_POINTS, TABLE_ROWS, type Transport } from "./simulation_view.ts";
import { isFinalTask } from "./task_start.ts";
import type { PacketsPage, SimPacket, SimSummary, TaskStatus } from "./types.ts";

/** Longest time between a packet's arrival and its redraw. */
export const FLUSH_MS = 250;
/** Packets asked for per poll; a full page is followed by the next poll at once. */
const PAGE = 500;

/** What `followSimulation` reports to its owner. */
export interface FeedHandlers {
  /** A (running or final) summary of the run. */
  summary(summary: SimSummary): void;
  /** A newer task status (warm-up message, final state). */
  status(status: TaskStatus): void;
  /** How packets arrive now. */
  transport(transport: Transport): void;
  /** A note for the operator (live updates interrupted), or null once packets flow again. */
  notice(text: string | null): void;
  /** The run is gone (its records expired). */
  gone(): void;
}

/**
 * Follow run `taskId` into `buffer` (packets after `buffer.cursor`) until it ends; returns the
 * function that stops following (an effect's cleanup).
 */
export function followSimulation(
  taskId: string,
  buffer: LiveBuffer,
  on: FeedHandlers,
): () => void {
  let closed = false;
  let source: EventSource | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  let final = false;
  const id = encodeURIComponent(taskId);

  const loadSummary = async () => {
    try {
      on.summary(await apiGet<SimSummary>(`/simulation/${id}/summary`));
    } catch { /* summary is optional */ }
  };

  const finish = (status: TaskStatus | null) => {
    if (final) return;
    final = true;
    if (status) on.status(status);
    source?.close();
    on.transport(null);
    loadSummary();
  };

  const poll = async () => {
    if (closed) return;
    try {
      const page = await apiGet<PacketsPage>(
        `/simulation/${id}/packets?after=${buffer.cursor}&limit=${PAGE}`,
      );
      for (const p of page.packets) buffer.add(p);
      if (isFinalTask(page.status) && page.packets.length === 0) {
        finish(await apiGet<TaskStatus>(`/simulation/status/${id}`).catch(() => null));
        return;
      }
      if (!closed) pollTimer = setTimeout(poll, page.packets.length >= PAGE ? 0 : 500);
    } catch (err) {
      on.notice(`Live updates interrupted: ${err instanceof ApiError ? err.detail : err}`);
      if (!closed) pollTimer = setTimeout(poll, 2000);
    }
  };

  const startPolling = () => {
    source?.close();
    source = null;
    if (closed || final) return;
    on.transport("polling");
    poll();
  };

  const startStream = () => {
    if (closed) return;
    if (typeof EventSource === "undefined") return startPolling();
    let failures = 0;
    let opened = false;
    source = new EventSource(asset(`/simulation/${id}/events?after=${buffer.cursor}`));
    on.transport("sse");
    source.addEventListener("open", () => {
      opened = true;
      failures = 0;
    });
    source.addEventListener("packet", (e) => {
      try {
        buffer.add(JSON.parse((e as MessageEvent).data) as SimPacket);
        on.notice(null);
      } catch { /* a malformed event is skipped */ }
    });
    source.addEventListener("status", (e) => {
      try {
        finish(JSON.parse((e as MessageEvent).data) as TaskStatus);
      } catch {
        finish(null);
      }
    });
    source.onerror = () => {
      // A stream that never opened is unavailable (proxy, blocked): poll right away. Once it
      // worked, the browser retries by itself; give up after repeated failures.
      if (final || closed) return;
      failures++;
      if (!opened || source?.readyState === EventSource.CLOSED || failures >= 3) {
        startPolling();
      }
    };
  };

  const pollStatus = async () => {
    if (closed || final) return;
    try {
      const s = await apiGet<TaskStatus>(`/simulation/status/${id}`);
      if (isFinalTask(s.status)) {
        // Let the stream deliver its last packets and status event first.
        statusTimer = setTimeout(() => !closed && finish(s), 1500);
        return;
      }
      on.status(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        on.gone();
        finish(null);
        return;
      }
    }
    if (!closed) statusTimer = setTimeout(pollStatus, buffer.latest ? 3000 : 1000);
  };

  (async () => {
    try {
      const s = await apiGet<SimSummary>(`/simulation/${id}/summary`);
      if (closed) return;
      on.summary(s);
      const from = Math.max(buffer.cursor, s.processed - CHART_POINTS - 1, -1);
      if (from > buffer.cursor) buffer.cursor = from;
    } catch { /* start from the beginning */ }
    startStream();
    pollStatus();
  })();

  return () => {
    closed = true;
    source?.close();
    clearTimeout(pollTimer);
    clearTimeout(statusTimer);
  };
}

/** The state of the simulation island: the run followed, its packets, and the messages shown. */
export interface SimulationFeed {
  task: TaskStatus | null;
  /** Follow another run (a new one, or the one a 409 named). */
  setTask(task: TaskStatus): void;
  summary: SimSummary | null;
  setSummary(summary: SimSummary | null): void;
  transport: Transport;
  /** The newest packet, and the buffered chart points and table rows (newest first). */
  latest: SimPacket | null;
  points: QualityPoint[];
  rows: SimPacket[];
  /** The error and the note on screen; the start and stop actions set them too. */
  error: string | null;
  setError(error: string | null): void;
  notice: string | null;
  setNotice(notice: string | null): void;
}

/** What the server rendered of `initial`: its latest packets (oldest first) and summary. */
export interface FeedSeed {
  packets: SimPacket[];
  summary: SimSummary | null;
}

/** A buffer holding the seed's packets (what the server rendered; the feed continues after). */
function seededBuffer(seed: FeedSeed | undefined): LiveBuffer {
  const buffer = new LiveBuffer(CHART_POINTS, TABLE_ROWS);
  for (const p of seed?.packets ?? []) buffer.add(p);
  buffer.takeDirty();
  return buffer;
}

/**
 * Follow `initial` (and whatever run `setTask` names later) while the island is mounted,
 * starting from `seed` (the server-rendered packets and summary of `initial`), so the first
 * render — on the server and at hydration — shows the run's true state.
 */
export function useSimulationFeed(initial: TaskStatus | null, seed?: FeedSeed): SimulationFeed {
  const [task, setTask] = useState<TaskStatus | null>(initial);
  const [summary, setSummary] = useState<SimSummary | null>(seed?.summary ?? null);
  const [transport, setTransport] = useState<Transport>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const buffer = useRef<LiveBuffer>(null as unknown as LiveBuffer);
  buffer.current ??= seededBuffer(seed);
  const followId = useRef<string | null>(initial?.task_id ?? null);
  const taskId = task?.task_id ?? null;

  // Redraw at most every FLUSH_MS however fast packets arrive.
  useEffect(() => {
    const timer = setInterval(() => {
      if (buffer.current.takeDirty()) setVersion((v) => v + 1);
    }, FLUSH_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (!taskId) return;
    if (followId.current !== taskId) {
      followId.current = taskId;
      buffer.current.reset();
    }
    return followSimulation(taskId, buffer.current, {
      summary: setSummary,
      status: setTask,
      transport: setTransport,
      notice: setNotice,
      gone: () => setError("This simulation no longer exists (its records expired)."),
    });
  }, [taskId]);

  const buf = buffer.current;
  const points = useMemo(() => buf.points(), [version]);
  const rows = useMemo(() => buf.rows(), [version]);
  return {
    task,
    setTask,
    summary,
    setSummary,
    transport,
    latest: buf.latest,
    points,
    rows,
    error,
    setError,
    notice,
    setNotice,
  };
}
