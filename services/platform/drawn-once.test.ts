import { describe, expect, it } from 'vitest'
import { drawnOnce } from './drawn-once.ts'

describe('drawnOnce', () => {
  it('draws once for requests that arrive together, again once a drawing failed, and forgets the oldest', async () => {
    const drawn = drawnOnce<string>(2)
    let drawings = 0
    const draw = (what: string) => () => Promise.resolve(`${what}#${++drawings}`)
    expect(await Promise.all([drawn('a', draw('a')), drawn('a', draw('a'))])).toEqual(['a#1', 'a#1'])

    await expect(drawn('b', () => Promise.reject(new Error('resvg refused')))).rejects.toThrow('resvg refused')
    expect(await drawn('b', draw('b'))).toBe('b#2')

    expect(await drawn('c', draw('c'))).toBe('c#3') // keeps b and c: a is the oldest, forgotten
    expect(await drawn('a', draw('a'))).toBe('a#4')
  })
})
