/**
 * A small strict JSON shape checker for contract tests: every listed field must be present with
 * exactly the listed JSON type (`int` = a JSON number that is an integer). Extra fields are
 * allowed only where a shape says so (`open`), and are reported by `extraKeys` for review.
 *
 * @example
 * ```ts
 * assertShape({ task_id: "a" }, obj({ task_id: "string" }));
 * ```
 *
 * @module
 */

/** A shape: a primitive JSON type name or a structured shape. */
export type Shape =
  | "string"
  | "int"
  | "number"
  | "boolean"
  | "null"
  | "any"
  | { kind: "object"; fields: Record<string, Shape>; open: boolean }
  | { kind: "array"; of: Shape; minLength?: number }
  | { kind: "record"; key?: RegExp; of: Shape }
  | { kind: "oneOf"; options: Shape[] };

/** An object with exactly these fields (`open`: extra fields allowed). */
export function obj(fields: Record<string, Shape>, open = false): Shape {
  return { kind: "object", fields, open };
}
/** An array whose items all have shape `of`. */
export function arr(of: Shape, minLength = 0): Shape {
  return { kind: "array", of, minLength };
}
/** A string-keyed map whose keys match `key` and whose values have shape `of`. */
export function rec(of: Shape, key?: RegExp): Shape {
  return { kind: "record", of, key };
}
/** Any of the shapes. */
export function oneOf(...options: Shape[]): Shape {
  return { kind: "oneOf", options };
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** Problems of `value` against `shape` (empty = conforms). */
export function shapeErrors(value: unknown, shape: Shape, path = "$"): string[] {
  if (typeof shape === "string") {
    switch (shape) {
      case "any":
        return [];
      case "int":
        return typeof value === "number" && Number.isInteger(value)
          ? []
          : [`${path}: expected int, got ${JSON.stringify(value)}`];
      case "number":
        return typeof value === "number" && Number.isFinite(value)
          ? []
          : [`${path}: expected number, got ${JSON.stringify(value)}`];
      default:
        return typeName(value) === shape
          ? []
          : [`${path}: expected ${shape}, got ${typeName(value)}`];
    }
  }
  switch (shape.kind) {
    case "object": {
      if (typeName(value) !== "object") return [`${path}: expected object, got ${typeName(value)}`];
      const o = value as Record<string, unknown>;
      const errs: string[] = [];
      for (const [k, s] of Object.entries(shape.fields)) {
        if (!Object.hasOwn(o, k)) errs.push(`${path}.${k}: missing`);
        else errs.push(...shapeErrors(o[k], s, `${path}.${k}`));
      }
      if (!shape.open) {
        for (const k of Object.keys(o)) {
          if (!Object.hasOwn(shape.fields, k)) errs.push(`${path}.${k}: unexpected field`);
        }
      }
      return errs;
    }
    case "array": {
      if (!Array.isArray(value)) return [`${path}: expected array, got ${typeName(value)}`];
      const errs = value.length < (shape.minLength ?? 0)
        ? [`${path}: expected at least ${shape.minLength} items, got ${value.length}`]
        : [];
      value.forEach((v, i) => errs.push(...shapeErrors(v, shape.of, `${path}[${i}]`)));
      return errs;
    }
    case "record": {
      if (typeName(value) !== "object") return [`${path}: expected object, got ${typeName(value)}`];
      const errs: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (shape.key && !shape.key.test(k)) errs.push(`${path}: bad key ${JSON.stringify(k)}`);
        errs.push(...shapeErrors(v, shape.of, `${path}[${JSON.stringify(k)}]`));
      }
      return errs;
    }
    case "oneOf": {
      const all = shape.options.map((s) => shapeErrors(value, s, path));
      return all.some((e) => e.length === 0) ? [] : all.flat();
    }
  }
}

/** Throw listing every problem when `value` does not have `shape`. */
export function assertShape(value: unknown, shape: Shape, what = "value"): void {
  const errs = shapeErrors(value, shape);
  if (errs.length) throw new Error(`${what} does not match the contract:\n  ${errs.join("\n  ")}`);
}

/**
 * Numbers written with a fraction or exponent for the given keys in raw JSON text (e.g. `"x":0.0`),
 * which a .NET int32 reader rejects even though `JSON.parse` yields an integer.
 */
export function nonIntegerLiterals(json: string, keys: string[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const re = new RegExp(`"${k}"\\s*:\\s*(-?[0-9][0-9]*[.eE][-+0-9.eE]*)`, "g");
    for (const m of json.matchAll(re)) out.push(`"${k}":${m[1]}`);
  }
  return out;
}
