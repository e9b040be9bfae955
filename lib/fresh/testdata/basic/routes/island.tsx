import Counter from "../islands/Counter.tsx";

export default function IslandPage() {
  return (
    <section>
      <Counter start={3} label="</script><script>alert(1)</script>" />
      <Counter start={7} label="second" />
    </section>
  );
}
