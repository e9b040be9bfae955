import assert from "node:assert/strict";
import { csvField, FAILURE_CSV_COLUMNS, failureCsvLine, failureOf } from "./failures.ts";
import type { SimPacketRecord } from "./packets.ts";

Deno.test("fail log: CSV fields are escaped (RFC 4180) and formula-safe", () => {
  assert.equal(csvField(null), "");
  assert.equal(csvField(-0.25), "-0.25");
  assert.equal(csvField(Number.NaN), "");
  assert.equal(csvField("L3_S1_F14"), "L3_S1_F14");
  assert.equal(csvField('a,"b"'), '"a,""b"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  assert.equal(csvField("-x,y"), `"'-x,y"`);
});

Deno.test("fail log: only Fail packets make an entry; CSV line has every column", () => {
  const record = (prediction: "Pass" | "Fail"): SimPacketRecord => ({
    seq: 4,
    p_fail: 0.8,
    actual: 1,
    emitted_at: 0,
    packet: {
      current_row_index: 4,
      total_rows: 9,
      quality_score: 20,
      live_prediction: {
        timestamp: "2025-01-06T00:02:00Z",
        sample_id: "SAMPLE_7",
        prediction,
        confidence: 20,
        top_features: {},
      },
      live_stats: { total_predictions: 5, pass_count: 4, fail_count: 1, average_confidence: 80 },
      p_fail: 0.8,
      explanation: {
        margin: 1.386,
        bias: -2,
        top: [{ feature: "f,1", value: null, contribution: 3.386 }],
      },
    },
  });
  assert.equal(failureOf(record("Pass")), null);
  const f = failureOf(record("Fail"))!;
  assert.deepEqual(f, {
    row: 4,
    sample_id: "SAMPLE_7",
    timestamp: "2025-01-06T00:02:00Z",
    p_fail: 0.8,
    response: 1,
    explanation: record("Fail").packet.explanation,
  });
  const line = failureCsvLine(f);
  assert.ok(line.endsWith("\r\n"));
  assert.equal(
    line,
    '4,SAMPLE_7,2025-01-06T00:02:00Z,0.8,1,1.386,-2,"f,1",,3.386' + ",,,".repeat(4) + "\r\n",
  );
  assert.equal(FAILURE_CSV_COLUMNS.length, 7 + 3 * 5);
});
