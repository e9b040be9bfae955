/**
 * The admin tables' frame: `qc-table` with a header row of column titles (numeric columns right
 * aligned), inside the horizontally scrolling `qc-table-wrap` unless `wrap` is false. Rows come
 * as children (the body). Pure (SSR and islands).
 *
 * @example
 * ```tsx
 * <Table columns={[{ label: "File" }, { label: "Rows", num: true }]}>
 *   {rows.map((r) => <tr key={r.id}><td>{r.file}</td><td class="qc-num">{r.rows}</td></tr>)}
 * </Table>
 * ```
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** One column title. */
export interface Column {
  label: ComponentChildren;
  /** Numeric column: right aligned, tabular digits (`qc-num`). */
  num?: boolean;
  /** Key of the title when `label` is not a plain string. */
  key?: string;
}

/** Props of `Table`. */
export interface TableProps {
  columns: Column[];
  /** In the scrolling wrapper (default true). */
  wrap?: boolean;
  /** Name of the scrolling region (for screen readers), e.g. "Recent tasks". */
  label?: string;
  /** The body rows. */
  children?: ComponentChildren;
}

/** The table. */
export function Table({ columns, wrap = true, label, children }: TableProps) {
  const table = (
    <table class="qc-table">
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th
              key={c.key ?? (typeof c.label === "string" ? c.label : i)}
              scope="col"
              class={c.num ? "qc-num" : undefined}
            >
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  // The wrapper scrolls sideways on narrow screens: focusable so a keyboard can scroll it.
  return wrap
    ? (
      <div class="qc-table-wrap" tabIndex={0} role="region" aria-label={label ?? "Table"}>
        {table}
      </div>
    )
    : table;
}

export default Table;
