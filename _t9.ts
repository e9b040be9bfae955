import process from "node:process"; const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const b = new Uint8Array(1 << 24).map((_, i) => i * 7);
for (let r = 0; r < 4; r++) {
  const t = cpu(); let s = 0;
  for (let k = 0; k < 10; k++) for (let i = 0; i < b.length; i++) s += b[i];
  console.log(`${((cpu() - t) * 1e6 / (10 * b.length)).toFixed(2)} ns/byte`, s);
}
