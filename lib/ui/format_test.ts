import assert from "node:assert/strict";
import { describeDetail } from "./api_client.ts";
import {
  fmtBytes,
  fmtDateTime,
  fmtDuration,
  fmtInt,
  fmtNum,
  fmtPct,
  fmtRate,
  fmtReplayEstimate,
  shortId,
} from "./format.ts";

Deno.test("formatters", () => {
  assert.equal(fmtInt(1183747), "1,183,747");
  assert.equal(fmtInt(null), "—");
  assert.equal(fmtNum(0.123456, 3), "0.123");
  assert.equal(fmtNum(NaN), "—");
  assert.equal(fmtPct(0.0058), "0.58 %");
  assert.equal(fmtPct(undefined), "—");
  assert.equal(fmtBytes(512), "512 B");
  assert.equal(fmtBytes(2.35 * 1024 ** 3), "2.35 GB");
  assert.equal(fmtDateTime("2025-01-06T00:02:00Z"), "2025-01-06 00:02:00 UTC");
  assert.equal(fmtDateTime(null), "—");
  assert.equal(fmtDuration(3.25), "3.3 s");
  assert.equal(fmtDuration(125), "2 min 05 s");
  assert.equal(fmtDuration(3720), "1 h 02 min");
  assert.equal(shortId("0123456789abcdef"), "01234567");
});

Deno.test("describeDetail: string, FastAPI list, message, fallback", () => {
  assert.equal(
    describeDetail({ detail: "No dataset has been uploaded." }),
    "No dataset has been uploaded.",
  );
  assert.equal(
    describeDetail({
      detail: [
        { loc: ["body", "train_start_date"], msg: "Field required", type: "missing" },
        { loc: ["body"], msg: "bad", type: "x" },
      ],
    }),
    "train_start_date: Field required; bad",
  );
  assert.equal(describeDetail({ message: "hi" }), "hi");
  assert.equal(describeDetail(null, "fallback"), "fallback");
  assert.equal(describeDetail("plain text error"), "plain text error");
});

Deno.test("fmtRate and fmtReplayEstimate: singular rate, rounded estimate", () => {
  assert.equal(fmtRate(1), "1 row/s");
  assert.equal(fmtRate(2.5), "2.5 rows/s");
  assert.equal(fmtReplayEstimate(17_142, 1), "~4 h 46 min");
  assert.equal(fmtReplayEstimate(1_152, 25), "~46 s");
  assert.equal(fmtReplayEstimate(600, 2), "~5 min");
  assert.equal(fmtReplayEstimate(0, 1), "—");
});
