/**
 * The simulation view's packet buffer: keeps the latest packet, the last `points` quality
 * scores for the rolling chart and the last `rows` packets for the table, dropping duplicates
 * and anything older than what it already has (SSE resumes and polling overlap). Packets can
 * arrive far faster than the screen should redraw, so the island adds them here and re-renders
 * on a timer.
 *
 * @example
 * ```ts
 * const buf = new LiveBuffer(300, 20);
 * buf.add(packet); // true when new
 * buf.cursor;      // last current_row_index seen (-1 before any)
 * ```
 *
 * @module
 */
import type { SimPacket } from "./types.ts";

/** One chart point. */
export interface QualityPoint {
  x: number;
  y: number;
  fail: boolean;
}

/** See the module docs. */
export class LiveBuffer {
  /** The last `current_row_index` added (-1 before any). */
  cursor = -1;
  /** The newest packet. */
  latest: SimPacket | null = null;
  /** Packets added since the last `takeDirty()`. */
  #dirty = false;
  #points: QualityPoint[] = [];
  #rows: SimPacket[] = [];

  constructor(readonly maxPoints = 300, readonly maxRows = 20) {}

  /** Add a packet; false (ignored) when its row index is not after the cursor. */
  add(p: SimPacket): boolean {
    if (!p || typeof p.current_row_index !== "number" || p.current_row_index <= this.cursor) {
      return false;
    }
    this.cursor = p.current_row_index;
    this.latest = p;
    this.#points.push({
      x: p.current_row_index,
      y: p.quality_score,
      fail: p.live_prediction?.prediction === "Fail",
    });
    if (this.#points.length > this.maxPoints * 2) {
      this.#points = this.#points.slice(-this.maxPoints);
    }
    this.#rows.push(p);
    if (this.#rows.length > this.maxRows * 2) this.#rows = this.#rows.slice(-this.maxRows);
    this.#dirty = true;
    return true;
  }

  /** The last `maxPoints` points, oldest first. */
  points(): QualityPoint[] {
    return this.#points.slice(-this.maxPoints);
  }

  /** The last `maxRows` packets, newest first. */
  rows(): SimPacket[] {
    return this.#rows.slice(-this.maxRows).reverse();
  }

  /** True once after packets were added (then false until the next add). */
  takeDirty(): boolean {
    const d = this.#dirty;
    this.#dirty = false;
    return d;
  }

  /** Forget everything (a new run). */
  reset(): void {
    this.cursor = -1;
    this.latest = null;
    this.#points = [];
    this.#rows = [];
    this.#dirty = true;
  }
}
