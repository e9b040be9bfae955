import type { PageProps } from "fresh";
import type { TestState } from "../../state.ts";

export default function Pricing({ state }: PageProps<unknown, TestState>) {
  return <p>Pricing {state.trace.join(">")}</p>;
}
