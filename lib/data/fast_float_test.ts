import assert from "node:assert/strict";
import { isNumericText, parseFloatBytes } from "./fast_float.ts";

const enc = new TextEncoder();
const p = (s: string) => {
  const b = enc.encode(s);
  return parseFloatBytes(b, 0, b.length);
};

Deno.test("parseFloatBytes equals parseFloat on typical and odd forms", () => {
  const cases = [
    "0",
    "-0",
    "1",
    "-0.052",
    "0.094",
    "12",
    "999.99",
    "1.2E-3",
    "1.2e+3",
    "-5e-7",
    ".5",
    "-.5",
    "5.",
    "+3.25",
    "0.000001",
    "123456789012345",
    "1234567890123456789",
    "0.1234567890123456789",
    "1e22",
    "1e23",
    "1e-22",
    "1e-30",
    "1.7976931348623157e308",
    "4.9e-324",
    "00012.500",
  ];
  for (const s of cases) {
    assert.equal(Object.is(p(s), parseFloat(s)), true, `${s}: ${p(s)} vs ${parseFloat(s)}`);
  }
});

Deno.test("parseFloatBytes: random decimals match parseFloat bit for bit", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 20000; i++) {
    const digits = 1 + Math.floor(rnd() * 12);
    const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 8 - 4);
    const s = i % 3 === 0 ? v.toExponential(digits) : v.toFixed(digits % 8);
    assert.equal(p(s), parseFloat(s), s);
  }
});

Deno.test("parseFloatBytes: empty and text are NaN", () => {
  for (
    const s of [
      "",
      "T1",
      "abc",
      "-",
      ".",
      "1.2.3",
      "1e",
      "1e+",
      "--1",
      "1-2",
      "2025-01-01",
      "0x10",
      "1,5",
    ]
  ) {
    assert.ok(Number.isNaN(p(s)), s);
  }
  const b = enc.encode("T1");
  assert.equal(isNumericText(b, 0, 2), false);
  assert.equal(isNumericText(enc.encode("3"), 0, 1), true);
  assert.equal(p(" 7 "), 7); // slow path trims
});
