import type { PageProps } from "fresh";

export default function MarketingLayout({ Component }: PageProps) {
  return (
    <div class="marketing">
      <Component />
    </div>
  );
}
