import type { PageProps } from "fresh";

export default function App({ Component }: PageProps) {
  return (
    <html lang="en">
      <head>
        <title>fixture</title>
      </head>
      <body>
        <Component />
      </body>
    </html>
  );
}
