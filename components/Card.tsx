/**
 * A card: the white panel every admin section sits in (`<section class="qc-card">`), with an
 * optional `h2` heading that labels it. Pure (SSR and islands).
 *
 * The heading comes in two layouts, both in use: alone (`<h2>` right inside the card), or in the
 * `qc-card-head` row with something beside it (a status pill, a count, a link), which also leaves
 * a little more room under it. Passing `aside` at all, even as `null` (a conditional pill not
 * shown yet), selects the row, so a card does not jump when its pill appears.
 *
 * An island's top-level card carries `island` and `hydrated`: `data-island` / `data-hydrated`
 * let the browser tests (and curious operators) see that the island is live.
 *
 * @example
 * ```tsx
 * <Card heading="Models" headingId="models-title" aside={<span>3 stored</span>}
 *   island="ModelsList" hydrated={hydrated}>
 *   <ModelsTable … />
 * </Card>
 * <Card heading="Upload a dataset" headingId="upload-title">…</Card>   // heading alone
 * <Card><EmptyState title="Nothing yet" /></Card>                       // no heading
 * ```
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** Props of `Card`. */
export interface CardProps {
  /** The card's `h2`; leave out for a card without a heading. */
  heading?: ComponentChildren;
  /** Id of the `h2`; the section is labelled by it (`aria-labelledby`). */
  headingId?: string;
  /** Shown right of the heading; given at all (even null), the heading sits in the head row. */
  aside?: ComponentChildren;
  /** Extra classes after `qc-card`. */
  class?: string;
  /** `aria-live` of the section. */
  live?: "off" | "polite";
  /** Name of the island whose top-level card this is (`data-island`). */
  island?: string;
  /** With `island`: whether the island has hydrated (`data-hydrated`). */
  hydrated?: boolean;
  children?: ComponentChildren;
}

/** The card. */
export function Card(props: CardProps) {
  const { heading, headingId, aside, live, island, hydrated, children } = props;
  const title = heading === undefined ? null : <h2 id={headingId}>{heading}</h2>;
  return (
    <section
      class={props.class ? `qc-card ${props.class}` : "qc-card"}
      aria-labelledby={heading === undefined ? undefined : headingId}
      aria-live={live}
      data-island={island}
      data-hydrated={island === undefined ? undefined : hydrated ? "true" : "false"}
    >
      {title && "aside" in props
        ? (
          <div class="qc-card-head">
            {title}
            {aside}
          </div>
        )
        : title}
      {children}
    </section>
  );
}

export default Card;
