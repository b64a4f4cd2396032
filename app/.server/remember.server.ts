// Values the process must hold once, kept on globalThis: in development Vite evaluates a module
// again after an edit, and a second database pool, event publisher or engine would not know what
// the first one holds. The one helper for every such value.

const registry = globalThis as unknown as { weftSingletons?: Map<string, unknown> };

/** The process's value for `name`, made by `make` the first time it is asked for. */
export function remember<T>(name: string, make: () => T): T {
  const values = (registry.weftSingletons ??= new Map());
  if (!values.has(name)) values.set(name, make());
  return values.get(name) as T;
}
