/**
 * A drawing kept by what it shows, in this process: the most recent `entries`, oldest dropped first.
 * Credential PDFs and preview images are public; a shared link is fetched in bursts, and anyone may fetch
 * one in a loop. Drawing one costs tens to a hundred milliseconds of CPU (a PDF's on the event loop);
 * looking it up costs nothing, and requests that arrive while it is drawn share the one drawing.
 * The key must hold everything drawn (the standing and its date included), so a change draws anew.
 */
export function drawnOnce<T>(entries: number): (key: string, draw: () => Promise<T>) => Promise<T> {
  const drawings = new Map<string, Promise<T>>()
  return (key, draw) => {
    const kept = drawings.get(key)
    if (kept) return kept
    const drawing = draw()
    // A failed drawing is not kept: the next request tries again.
    drawing.catch(() => drawings.delete(key))
    if (drawings.size >= entries) drawings.delete(drawings.keys().next().value!)
    drawings.set(key, drawing)
    return drawing
  }
}
