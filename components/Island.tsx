/**
 * Server side of an island (Fresh's convention on our own small glue): render the component to
 * HTML inside a marker element carrying its name and serialized props; `islands/mod.ts`, bundled
 * to /static/islands/main.js, hydrates every marker in the browser. Props must be JSON values.
 */
import type { ComponentType } from "preact";

export interface IslandProps<P> {
  name: string;
  component: ComponentType<P>;
  props: P;
}

/** Renders an island: server HTML now, hydrated in the browser when its bundle loads. */
export function Island<P extends object>({ name, component: Component, props }: IslandProps<P>) {
  return (
    <div data-island={name} data-props={JSON.stringify(props)}>
      <Component {...props} />
    </div>
  );
}
