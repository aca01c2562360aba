// Route modules are bundled by Vite while the server entry and worker load services/ directly,
// so a module can exist twice in one process. Process-wide resources live on globalThis once.
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as { __ggmlSingletons?: Map<string, unknown> }
  store.__ggmlSingletons ??= new Map()
  if (!store.__ggmlSingletons.has(name)) store.__ggmlSingletons.set(name, create())
  return store.__ggmlSingletons.get(name) as T
}

/**
 * A mutable value shared by every copy of a module in the process (the clock, the environment, the
 * local stand-ins registered at boot): set through one copy, read through another.
 */
export function shared<T>(name: string, initial: T): { value: T } {
  return singleton(`shared:${name}`, () => ({ value: initial }))
}
