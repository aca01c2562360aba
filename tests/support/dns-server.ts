import { createSocket } from 'node:dgram'

/**
 * A DNS server on UDP that answers TXT questions from a table and NXDOMAIN otherwise: enough for
 * domain verification through Node's real resolver (DNS_SERVERS), with nothing mocked in between.
 */
export async function startDnsServer(txt: Map<string, string[]>): Promise<{ address: string; close(): void }> {
  const socket = createSocket('udp4')
  socket.on('message', (msg, from) => {
    // The question: labels from byte 12 to a zero byte, then type and class.
    let i = 12
    const labels: string[] = []
    while (msg[i]! > 0) {
      labels.push(msg.subarray(i + 1, i + 1 + msg[i]!).toString('ascii'))
      i += msg[i]! + 1
    }
    const question = msg.subarray(12, i + 5)
    const type = msg.readUInt16BE(i + 1)
    const values = type === 16 ? (txt.get(labels.join('.').toLowerCase()) ?? []) : []
    const answers = values.map((v) => {
      const data = Buffer.concat([Buffer.from([Buffer.byteLength(v)]), Buffer.from(v)])
      const rr = Buffer.alloc(12)
      rr.writeUInt16BE(0xc00c, 0) // the name: a pointer to the question's
      rr.writeUInt16BE(16, 2)
      rr.writeUInt16BE(1, 4)
      rr.writeUInt32BE(60, 6)
      rr.writeUInt16BE(data.length, 10)
      return Buffer.concat([rr, data])
    })
    const header = Buffer.alloc(12)
    header.writeUInt16BE(msg.readUInt16BE(0), 0)
    header.writeUInt16BE(values.length || type !== 16 ? 0x8180 : 0x8183, 2) // NXDOMAIN when nothing is known
    header.writeUInt16BE(1, 4)
    header.writeUInt16BE(answers.length, 6)
    socket.send(Buffer.concat([header, question, ...answers]), from.port, from.address)
  })
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()))
  return { address: `127.0.0.1:${socket.address().port}`, close: () => socket.close() }
}
