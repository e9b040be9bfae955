import { scanCsv } from "./lib/data/csv_scanner.ts";
import process from "node:process";
const f = "bench/.data/bosch_20000rows.csv";
const data = await Deno.readFile(f);
const cols = Array.from({length: 100}, (_, i) => 2 + i * 9);
for (let i = 0; i < 6; i++) {
  const c0 = process.cpuUsage();
  let t = performance.now();
  let n = 0;
  await scanCsv(data, { onHeader: () => ({ columns: cols }), onRow(r) { n += r.fieldCount; } });
  const a = performance.now() - t;
  const c1 = process.cpuUsage(c0);
  console.log(`select100 wall ${a.toFixed(0)} cpu ${(c1.user/1000).toFixed(0)}`);
}
