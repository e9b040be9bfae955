const data = await Deno.readFile("bench/.data/bosch_20000rows.csv");
for (let i = 0; i < 5; i++) {
  let t = performance.now(); let p = 0, n = 0;
  while ((p = data.indexOf(10, p)) >= 0) { p++; n++; }
  const a = performance.now() - t;
  t = performance.now(); let c = 0;
  for (let j = 0; j < data.length; j++) if (data[j] === 10) c++;
  const b = performance.now() - t;
  t = performance.now(); let q = 0, m = 0;
  while ((q = data.indexOf(34, q)) >= 0) { q++; m++; }
  const d = performance.now() - t;
  console.log(`indexOf LF ${a.toFixed(1)}ms (${(data.length/1e3/a).toFixed(0)} MB/s) byteloop ${b.toFixed(1)}ms quote-scan ${d.toFixed(1)}`, n, c);
}
