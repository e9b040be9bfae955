import { scanCsv } from "./lib/data/csv_scanner.ts";
import { profileCsv } from "./lib/data/profile.ts";
import process from "node:process";
const data = await Deno.readFile("bench/.data/bosch_20000rows.csv");
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const MB = data.length / 1e6;
for (let i = 0; i < 3; i++) {
  let c = cpu(); let n = 0;
  await scanCsv(data, { onHeader: () => ({ columns: [0, 1, 970], countFields: true }), onRow(r) { n += r.fieldCount; } });
  const count = cpu() - c; c = cpu();
  await scanCsv(data, { onHeader: () => ({ columns: [0, 1, 970] }), onRow(r) { n += r.fieldCount; } });
  const sel3 = cpu() - c; c = cpu();
  await profileCsv(data, { sampleMaxCells: 968 * 10 });
  const prof0 = cpu() - c; c = cpu();
  const rb = new Float32Array(971);
  await scanCsv(data, { onHeader: () => ({ columns: [0] }), onRow(r) { r.parseAll(rb); } });
  const pall = cpu() - c;
  console.log(`MB/s cpu: count ${(MB/count*1000).toFixed(0)} sel3 ${(MB/sel3*1000).toFixed(0)} profile(no sample) ${(MB/prof0*1000).toFixed(0)} parseAll-every-row ${(MB/pall*1000).toFixed(0)}`);
}
