import process from "node:process"; const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
import { parseFloatBytes } from "./lib/data/fast_float.ts";
const enc = new TextEncoder();
const vals = Array.from({ length: 1000 }, (_, i) => String(((i * 7919) % 2001 - 1000) / 1000));
const buf = enc.encode(vals.join(","));
const starts: number[] = [], ends: number[] = [];
let p = 0; for (const v of vals) { starts.push(p); ends.push(p + v.length); p += v.length + 1; }
const S = Int32Array.from(starts), E = Int32Array.from(ends);
for (let r = 0; r < 5; r++) {
  const t = cpu(); let s = 0;
  for (let k = 0; k < 2000; k++) for (let i = 0; i < 1000; i++) s += parseFloatBytes(buf, S[i], E[i]);
  const ms = cpu() - t;
  console.log(`${(ms * 1e6 / 2e6).toFixed(1)} ns/number`, s);
}
