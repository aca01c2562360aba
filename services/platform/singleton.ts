// Route modules are bundled by Vite while the server entry and worker load services/ directly,
// so a module can exist twice in one process. Process-wide resources live on globalThis once.
declare global {
  // `var` is how a property of globalThis is declared: one map per process, whatever copy reads it.
  var __ggmlSingletons: Map<string, unknown> | undefined
}

export function singleton<T>(name: string, create: () => T): T {
  const store = (globalThis.__ggmlSingletons ??= new Map())
  if (!store.has(name)) store.set(name, create())
  // The one cast of the platform layer: what `name` holds was made by `create`, so it is a T.
  return store.get(name) as T
}

/**
 * A mutable value shared by every copy of a module in the process (the clock, the environment, the
 * local stand-ins registered at boot): set through one copy, read through another.
 */
export function shared<T>(name: string, initial: T): { value: T } {
  return singleton(`shared:${name}`, () => ({ value: initial }))
}
