import assert from "node:assert/strict";
import { LiveBuffer } from "./live_buffer.ts";
import type { SimPacket } from "./types.ts";

function packet(i: number, fail = false): SimPacket {
  return {
    current_row_index: i,
    total_rows: 1000,
    quality_score: fail ? 12.5 : 99.5,
    live_prediction: {
      timestamp: "2025-01-06T00:00:00Z",
      sample_id: `SAMPLE_${i}`,
      prediction: fail ? "Fail" : "Pass",
      confidence: fail ? 12.5 : 99.5,
      top_features: { a: null, b: 0.5 },
    },
    live_stats: {
      total_predictions: i + 1,
      pass_count: i + 1,
      fail_count: 0,
      average_confidence: 99,
    },
  };
}

Deno.test("LiveBuffer keeps the newest points and rows, drops duplicates", () => {
  const buf = new LiveBuffer(5, 3);
  assert.equal(buf.cursor, -1);
  for (let i = 0; i < 12; i++) assert.equal(buf.add(packet(i, i === 10)), true);
  assert.equal(buf.add(packet(11)), false, "same row again");
  assert.equal(buf.add(packet(3)), false, "older row");
  assert.equal(buf.cursor, 11);
  assert.deepEqual(buf.points().map((p) => p.x), [7, 8, 9, 10, 11]);
  assert.equal(buf.points().find((p) => p.x === 10)?.fail, true);
  assert.deepEqual(buf.rows().map((p) => p.current_row_index), [11, 10, 9]);
  assert.equal(buf.latest?.current_row_index, 11);
  assert.equal(buf.takeDirty(), true);
  assert.equal(buf.takeDirty(), false);
  buf.reset();
  assert.equal(buf.cursor, -1);
  assert.equal(buf.points().length, 0);
});
