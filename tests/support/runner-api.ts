/** A JSON POST to the runner API of the server at `baseUrl`, as the runner sends it (its secret as a bearer token). */
export const postToRunnerApi = (baseUrl: string, route: string, body: unknown, secret?: string) =>
  fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(secret && { Authorization: `Bearer ${secret}` }) },
    body: JSON.stringify(body),
  })

/** A whole hardware fingerprint, as certification-lab/hardware-fingerprint.ts reports one. */
export const sampleFingerprint = (cpuModel = 'Test CPU') => ({
  cpu: { model: cpuModel, cores: 2, threads: 2, features: ['avx2', 'fma'] },
  memoryBytes: 8 * 2 ** 30,
  gpus: [],
  backends: ['cpu'],
  os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
  nodeLlamaCpp: '3.21.1',
  llamaCpp: 'b0000',
})
