import type { PageProps } from "fresh";

export default function AdminLayout({ Component }: PageProps) {
  return (
    <main class="admin">
      <Component />
    </main>
  );
}
