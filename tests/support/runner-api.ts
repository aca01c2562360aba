/** A JSON POST to the runner API of the server at `baseUrl`, as the runner sends it (its secret as a bearer token). */
export const postToRunnerApi = (baseUrl: string, route: string, body: unknown, secret?: string) =>
  fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(secret && { Authorization: `Bearer ${secret}` }) },
    body: JSON.stringify(body),
  })
