export default async function AsyncPage() {
  const value = await Promise.resolve(42);
  return <p>async {value}</p>;
}
