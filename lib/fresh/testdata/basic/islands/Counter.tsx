import { useState } from "preact/hooks";
import { IS_BROWSER } from "fresh/runtime";

export default function Counter(props: { start: number; label: string }) {
  const [count, setCount] = useState(props.start);
  return (
    <button
      type="button"
      data-browser={String(IS_BROWSER)}
      onClick={() => setCount(count + 1)}
    >
      {props.label}: {count}
    </button>
  );
}
