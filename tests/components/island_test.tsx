/**
 * components/Island.tsx: an island's server markup is rendered once per name and props and kept;
 * the page gets the same bytes as rendering the component in place.
 */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { useState } from "preact/hooks";
import { Island } from "../../components/Island.tsx";

let renders = 0;

function Counter({ label, start }: { label: string; start: number }) {
  renders++;
  const [n] = useState(start);
  return <button type="button" data-n={n}>{label} &lt;{n}&gt;</button>;
}

/** What Island rendered before it kept anything: the component in place, inside the marker. */
function inPlace(props: { label: string; start: number }) {
  return renderToString(
    <div data-island="Counter" data-props={JSON.stringify(props)}>
      <Counter {...props} />
    </div>,
  );
}

const island = (props: { label: string; start: number }) =>
  renderToString(
    <section>
      <Island name="Counter" component={Counter} props={props} />
    </section>,
  );

Deno.test("island: kept markup is the markup rendered in place, rendered once per props", () => {
  renders = 0;
  const props = { label: '送信 & "保存"', start: 3 };
  const first = island(props);
  assert.equal(first, `<section>${inPlace(props)}</section>`);
  assert.equal(renders, 2);
  assert.equal(island({ ...props }), first, "equal props, the kept markup");
  assert.equal(renders, 2, "not rendered again");

  const other = { label: "送信", start: 4 };
  assert.equal(island(other), `<section>${inPlace(other)}</section>`);
  assert.notEqual(island(other), first);
});

Deno.test("island: props too long to keep are rendered every time, still the same markup", () => {
  renders = 0;
  const props = { label: "下書き".repeat(10_000), start: 1 };
  assert.equal(island(props), `<section>${inPlace(props)}</section>`);
  island(props);
  assert.equal(renders, 3, "two island renders and the reference, none kept");
});
