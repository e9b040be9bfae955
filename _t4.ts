import { scanCsv } from "./lib/data/csv_scanner.ts";
import { parseFloatBytes } from "./lib/data/fast_float.ts";
const f = "bench/.data/bosch_20000rows.csv";
const data = await Deno.readFile(f);
const cols = Array.from({length: 100}, (_, i) => 2 + i * 9);
for (let i = 0; i < 4; i++) {
  let t = performance.now();
  let n = 0;
  await scanCsv(data, { onHeader: () => ({ columns: cols }), onRow(r) { n += r.fieldCount; } });
  const a = performance.now() - t;
  t = performance.now();
  await scanCsv(data, { onHeader: () => ({ columns: cols }), onRow(r) { for (let k = 0; k < 100; k++) n += r.number(k) || 0; } });
  const b = performance.now() - t;
  t = performance.now();
  await scanCsv(data, { onHeader: () => ({ columns: cols }), onRow(r) { const fs = r.fieldStart, fe = r.fieldEnd, buf = r.buf; for (let k = 0; k < 100; k++) { if (fs[k] < fe[k]) n += parseFloatBytes(buf, fs[k], fe[k]); } } });
  const c = performance.now() - t;
  t = performance.now();
  await scanCsv(data, { onHeader: () => ({ columns: [0, 1, 970] , countFields: true}), onRow(r) { n += r.fieldCount; } });
  const d = performance.now() - t;
  console.log(`MB ${(data.length/1e6).toFixed(0)} select100 ${a.toFixed(0)} +number ${b.toFixed(0)} +direct ${c.toFixed(0)} count ${d.toFixed(0)}`, n > 0);
}
