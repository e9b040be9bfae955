import assert from "node:assert/strict";
import { baseMargin, toOnnx, treesInUse } from "./onnx_export.ts";
import { makeTree, randomModel } from "./testdata/hand_models.ts";

/** A tiny protobuf reader for the test: field number → list of raw values. */
function decode(buf: Uint8Array): Map<number, (bigint | Uint8Array | number)[]> {
  const out = new Map<number, (bigint | Uint8Array | number)[]>();
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = 0;
  const varint = () => {
    let v = 0n, shift = 0n;
    for (;;) {
      const b = buf[p++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (p < buf.length) {
    const key = Number(varint());
    const field = key >> 3, wire = key & 7;
    let value: bigint | Uint8Array | number;
    if (wire === 0) value = varint();
    else if (wire === 5) value = view.getFloat32((p += 4) - 4, true);
    else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(p, p + len);
      p += len;
    } else throw new Error(`unexpected wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
const text = (b: unknown) => new TextDecoder().decode(b as Uint8Array);
const packedVarints = (b: Uint8Array) => {
  const vals: number[] = [];
  let v = 0, mul = 1;
  for (const byte of b) {
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) vals.push(v), v = 0, mul = 1;
    else mul *= 128;
  }
  return vals;
};

function attributes(model: Uint8Array) {
  const graph = decode(decode(model).get(7)![0] as Uint8Array);
  const node = decode(graph.get(1)![0] as Uint8Array);
  const attrs = new Map<string, Map<number, (bigint | Uint8Array | number)[]>>();
  for (const a of node.get(5)!) {
    const fields = decode(a as Uint8Array);
    attrs.set(text(fields.get(1)![0]), fields);
  }
  return { graph, node, attrs };
}

Deno.test("onnx export: ModelProto header, opsets and graph I/O", () => {
  const model = randomModel(1);
  const bytes = toOnnx(model, { metadata: { model_id: "m1" } });
  const top = decode(bytes);
  assert.equal(top.get(1)![0], 8n); // ir_version
  const opsets = top.get(8)!.map((o) => {
    const f = decode(o as Uint8Array);
    return [f.has(1) ? text(f.get(1)![0]) : "", Number(f.get(2)![0])];
  });
  assert.deepEqual(opsets, [["", 15], ["ai.onnx.ml", 3]]);
  const meta = Object.fromEntries(top.get(14)!.map((e) => {
    const f = decode(e as Uint8Array);
    return [text(f.get(1)![0]), text(f.get(2)![0])];
  }));
  assert.deepEqual(JSON.parse(meta.feature_names), model.featureNames);
  assert.equal(meta.model_id, "m1");
  const { graph, node } = attributes(bytes);
  assert.equal(text(node.get(4)![0]), "TreeEnsembleClassifier");
  assert.equal(text(node.get(7)![0]), "ai.onnx.ml");
  assert.deepEqual(node.get(1)!.map(text), ["input"]);
  assert.deepEqual(node.get(2)!.map(text), ["label", "probabilities"]);
  assert.deepEqual(graph.get(11)!.map((v) => text(decode(v as Uint8Array).get(1)![0])), ["input"]);
});

Deno.test("onnx export: node attributes mirror the tree arrays", () => {
  const tree = makeTree(
    [1, -1, 3, -1, -1],
    [2, -1, 4, -1, -1],
    [1, 0, 0, 0, 0],
    [
      0.25,
      0,
      -1.5,
      0,
      0,
    ],
    [1, 0, 0, 0, 0],
    [0, -0.2, 0, 0.1, 0.3],
  );
  const model = { ...randomModel(2, 2, 1), trees: [tree], baseScore: 0.5 };
  const { attrs } = attributes(toOnnx(model));
  const ints = (n: string) => packedVarints(attrs.get(n)!.get(8)![0] as Uint8Array);
  const floats = (n: string) => {
    const b = attrs.get(n)!.get(7)![0] as Uint8Array;
    return Array.from(new Float32Array(b.slice().buffer));
  };
  assert.deepEqual(ints("nodes_nodeids"), [0, 1, 2, 3, 4]);
  assert.deepEqual(ints("nodes_featureids"), [1, 0, 0, 0, 0]);
  assert.deepEqual(floats("nodes_values"), [0.25, 0, -1.5, 0, 0]);
  assert.deepEqual(ints("nodes_truenodeids"), [1, 0, 3, 0, 0]);
  assert.deepEqual(ints("nodes_falsenodeids"), [2, 0, 4, 0, 0]);
  assert.deepEqual(ints("nodes_missing_value_tracks_true"), [1, 0, 0, 0, 0]);
  assert.deepEqual(attrs.get("nodes_modes")!.get(9)!.map(text), [
    "BRANCH_LT",
    "LEAF",
    "BRANCH_LT",
    "LEAF",
    "LEAF",
  ]);
  assert.deepEqual(ints("class_nodeids"), [1, 3, 4]);
  assert.deepEqual(ints("class_ids"), [0, 0, 0]);
  assert.deepEqual(floats("class_weights"), [-0.2, 0.1, 0.3].map(Math.fround));
  assert.deepEqual(ints("classlabels_int64s"), [0, 1]);
  assert.deepEqual(floats("base_values"), [0]);
  assert.equal(text(attrs.get("post_transform")!.get(4)![0]), "LOGISTIC");
});

Deno.test("onnx export: only trees up to bestIteration; guard leaf when no weight is negative", () => {
  const model = randomModel(3, 4, 10, 5);
  assert.equal(treesInUse(model).length, 6);
  const { attrs } = attributes(toOnnx(model));
  const treeIds = packedVarints(attrs.get("nodes_treeids")!.get(8)![0] as Uint8Array);
  assert.equal(Math.max(...treeIds), 5);

  const positive = makeTree([1, -1, -1], [2, -1, -1], [0, 0, 0], [0.5, 0, 0], [0, 0, 0], [
    0,
    0.1,
    0.2,
  ]);
  const posModel = { ...randomModel(4, 1, 1), trees: [positive], baseScore: 0.2 };
  const guarded = attributes(toOnnx(posModel)).attrs;
  const weights = new Float32Array(
    (guarded.get("class_weights")!.get(7)![0] as Uint8Array).slice().buffer,
  );
  assert.equal(weights.length, 3);
  assert.ok(weights[2] < 0 && weights[2] > -1e-20);
  const base = new Float32Array(
    (guarded.get("base_values")!.get(7)![0] as Uint8Array).slice().buffer,
  );
  assert.equal(base[0], Math.fround(baseMargin(0.2)));
});

Deno.test("onnx export: rejects malformed models with clear errors", () => {
  const good = randomModel(5, 3, 2);
  assert.throws(() => toOnnx({ ...good, featureNames: [] }), /no features/);
  assert.throws(() => toOnnx({ ...good, baseScore: 1 }), /baseScore/);
  const bad = makeTree([1, -1, -1], [2, -1, -1], [7, 0, 0], [0.5, 0, 0], [0, 0, 0], [0, 1, -1]);
  assert.throws(() => toOnnx({ ...good, trees: [bad] }), /tree 0 node 0: feature 7 out of range/);
  const loop = makeTree([0, -1], [1, -1], [0, 0], [0.5, 0], [0, 0], [0, 1]);
  assert.throws(() => toOnnx({ ...good, trees: [loop] }), /bad children/);
});
