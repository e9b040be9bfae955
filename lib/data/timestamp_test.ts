import assert from "node:assert/strict";
import {
  civilFromDays,
  dayKey,
  daysFromCivil,
  formatIsoInstant,
  parseIsoInstant,
  parseTimestampBytes,
} from "./timestamp.ts";

const enc = new TextEncoder();

Deno.test("parseIsoInstant: .NET and ISO forms as UTC", () => {
  assert.equal(parseIsoInstant("2025-01-01 00:00:00"), Date.UTC(2025, 0, 1));
  assert.equal(parseIsoInstant("2025-01-01T00:00:00Z"), Date.UTC(2025, 0, 1));
  assert.equal(
    parseIsoInstant("2025-01-04T23:59:59.9999999Z"),
    Date.UTC(2025, 0, 4, 23, 59, 59, 999),
  );
  assert.equal(parseIsoInstant("2025-01-04T23:59:59.5Z"), Date.UTC(2025, 0, 4, 23, 59, 59, 500));
  assert.equal(parseIsoInstant("2025-01-04T23:59:59.05"), Date.UTC(2025, 0, 4, 23, 59, 59, 50));
  assert.equal(parseIsoInstant("2025-01-05T00:00:00+01:00"), Date.UTC(2025, 0, 4, 23));
  assert.equal(parseIsoInstant("2025-01-05T00:00:00-0230"), Date.UTC(2025, 0, 5, 2, 30));
  assert.equal(parseIsoInstant("2025-01-05T00:00+05"), Date.UTC(2025, 0, 4, 19));
  assert.equal(parseIsoInstant("2025-01-05T10:20"), Date.UTC(2025, 0, 5, 10, 20));
  assert.equal(parseIsoInstant("2025-01-05"), Date.UTC(2025, 0, 5));
  assert.equal(parseIsoInstant("2024-02-29T12:00:00z"), Date.UTC(2024, 1, 29, 12));
  assert.equal(parseIsoInstant("1969-12-31T23:59:59Z"), -1000);
});

Deno.test("parseIsoInstant: invalid values are null", () => {
  for (
    const s of [
      "",
      "yesterday",
      "2025-13-01T00:00:00Z",
      "2025-02-30",
      "2023-02-29",
      "2025-01-01T24:00:00Z",
      "2025-01-01T10:60:00Z",
      "2025-01-01T10:00:61Z",
      "2025-01-01T10:00:00.Z",
      "2025-01-01T10:00:00.1234567890Z",
      "2025-01-01T10:00:00Q",
      "2025-01-01T10:00:00+25:00",
      "2025/01/01 10:00:00",
      "2025-01-01X10:00:00",
      "2025-01-01T10:00:00Z junk",
      "2025-01-01T10",
      "２０２５-01-01",
    ]
  ) assert.equal(parseIsoInstant(s), null, s);
});

Deno.test("parseTimestampBytes: ranges, quotes, spaces, CR", () => {
  const b = enc.encode('x,2025-01-01 00:00:05,"2025-01-01 00:00:06", 2025-01-01 00:00:07\r');
  assert.equal(parseTimestampBytes(b, 2, 21), Date.UTC(2025, 0, 1, 0, 0, 5));
  assert.equal(parseTimestampBytes(b, 22, 43), Date.UTC(2025, 0, 1, 0, 0, 6));
  assert.equal(parseTimestampBytes(b, 44, b.length), Date.UTC(2025, 0, 1, 0, 0, 7));
  assert.ok(Number.isNaN(parseTimestampBytes(b, 0, 1)));
  assert.ok(Number.isNaN(parseTimestampBytes(b, 5, 5)));
});

Deno.test("civil day conversions round-trip and agree with Date", () => {
  for (let d = -800_000; d < 800_000; d += 997) {
    const [y, m, dd] = civilFromDays(d);
    assert.equal(daysFromCivil(y, m, dd), d);
    const date = new Date(d * 86_400_000);
    assert.deepEqual([y, m, dd], [
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
    ]);
  }
  assert.equal(dayKey(Date.UTC(2025, 0, 5, 23, 59, 59, 999)), "2025-01-05");
  assert.equal(dayKey(Date.UTC(1969, 11, 31, 12)), "1969-12-31");
  assert.equal(formatIsoInstant(Date.UTC(2025, 0, 6, 0, 2)), "2025-01-06T00:02:00Z");
  assert.equal(formatIsoInstant(Date.UTC(2025, 0, 6, 0, 2, 0, 5)), "2025-01-06T00:02:00.005Z");
});

Deno.test("parser agrees with Date.parse on many random instants", () => {
  let seed = 1;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 5000; i++) {
    const ms = Math.floor((rnd() * 2 - 0.5) * 4e12);
    const iso = new Date(ms).toISOString();
    assert.equal(parseIsoInstant(iso), ms, iso);
    assert.equal(parseIsoInstant(iso.slice(0, 19).replace("T", " ")), Math.floor(ms / 1000) * 1000);
  }
});
